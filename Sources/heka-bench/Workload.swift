// The loopback sink and the bare-send floors call libc themselves, the one place outside
// HekaPlatform that does: a floor measures the bare system call, with nothing of the
// package's in front of it.
#if canImport(Glibc)
import Glibc
#endif
import HekaClient

/// The typical message of the scenarios: two strings, an integer, a double and a bool.
enum Workload {
    static let type = "request"
    static let payload = "GET /cart"

    /// The fields as a caller writes them at the call site.
    @inline(__always)
    static func fields() -> Fields {
        ["user": "ann", "route": "/cart", "status": 200, "elapsed_ms": 12.5, "cached": false]
    }

    /// The five values of ``fields()`` as a program has them at run time: read from a
    /// variable, so the optimiser cannot fold them into literals.
    nonisolated(unsafe) static var runtimeValues = (user: "ann", route: "/cart", status: 200, elapsedMs: 12.5,
                                                    cached: false)

    /// A complete message, as a client makes it.
    static func message(_ client: HekaClient) -> Message {
        client.message(type: type, payload: payload, fields: fields())
    }
}

/// A UDP socket bound to an ephemeral loopback port that nobody reads: once its receive
/// buffer is full the kernel drops what arrives, so a long run holds no growing memory.
final class LoopbackSink: Sendable {
    let fd: Int32
    let port: Int

    init() throws {
        let fd = try Self.socket(to: Self.loopback(port: 0), "bind", bind)
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.fd = fd
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(fd) }

    /// A new UDP socket on which `operation` (`bind` or `connect`) succeeded with `address`.
    static func socket(
        to address: sockaddr_in, _ name: String, _ operation: (Int32, UnsafePointer<sockaddr>, socklen_t) -> Int32
    ) throws -> Int32 {
        let fd = Glibc.socket(AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw BenchError("socket: \(String(cString: strerror(errno)))") }
        let rc = withUnsafePointer(to: address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                operation(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard rc == 0 else {
            close(fd)
            throw BenchError("\(name): \(String(cString: strerror(errno)))")
        }
        return fd
    }

    static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = in_addr_t(UInt32(0x7f00_0001).bigEndian)
        return address
    }
}

/// A floor: a bare loop sending fixed bytes. Unconnected, it `sendto`s each datagram with
/// the address (the floor); connected, it `send`s on a socket connected to the
/// sink, as ``UdpStream`` does.
final class BareSender: Sendable {
    private let fd: Int32
    private let address: sockaddr_in
    let connected: Bool

    init(to sink: LoopbackSink, connected: Bool) throws {
        address = LoopbackSink.loopback(port: sink.port)
        self.connected = connected
        // Unconnected, the socket is left as it is made; connected, it is connected to the sink.
        fd = try LoopbackSink.socket(to: address, "connect") { fd, address, length in
            connected ? connect(fd, address, length) : 0
        }
    }

    deinit { close(fd) }

    /// Sends `bytes` `count` times.
    func send(_ bytes: [UInt8], count: Int) {
        var address = address
        bytes.withUnsafeBytes { raw in
            if connected {
                for _ in 0..<count { _ = Glibc.send(fd, raw.baseAddress, raw.count, Int32(MSG_NOSIGNAL)) }
                return
            }
            withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { target in
                    for _ in 0..<count {
                        _ = sendto(fd, raw.baseAddress, raw.count, Int32(MSG_NOSIGNAL), target,
                                   socklen_t(MemoryLayout<sockaddr_in>.size))
                    }
                }
            }
        }
    }
}

/// A scenario that could not be set up.
struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
