#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Foundation
import Testing

// Loopback sockets for tests. Every socket binds port 0 (an ephemeral port the kernel
// picks) and reads the port back with getsockname; every wait is a blocking call bounded
// by SO_RCVTIMEO, never a fixed pause.

/// A duration in whole nanoseconds, clamped to Int64.
public func nanoseconds(of duration: Duration) -> Int64 {
    let (seconds, attoseconds) = duration.components
    let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
    if overflow { return seconds < 0 ? .min : .max }
    return scaled.addingReportingOverflow(attoseconds / 1_000_000_000).overflow ? .max : scaled + attoseconds / 1_000_000_000
}

/// Fails the test with the system's reason when `condition` is false.
public func check(_ condition: Bool, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    if !condition {
        let reason = String(cString: strerror(errno))
        Issue.record("\(what) failed: \(reason)", sourceLocation: sourceLocation)
        throw TestFailure(description: "\(what) failed: \(reason)")
    }
}

/// An error that ends a test whose setup failed.
public struct TestFailure: Error, CustomStringConvertible {
    public var description: String
    public init(description: String) { self.description = description }
}

/// Sets SO_RCVTIMEO (which also bounds `accept`) on `fd`.
public func setReceiveTimeout(_ fd: Int32, _ duration: Duration) {
    let nanoseconds = max(nanoseconds(of: duration), 1_000)
    var value = timeval(tv_sec: Int(nanoseconds / 1_000_000_000), tv_usec: Int(nanoseconds % 1_000_000_000) / 1_000)
    _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
}

/// Runs `body(index)` on `count` new threads at once and waits for all of them, at most
/// `timeout`; records an issue and returns `false` if some are still running then.
@discardableResult
public func onThreads(
    _ count: Int, timeout: Duration = .seconds(60), sourceLocation: SourceLocation = #_sourceLocation,
    _ body: @escaping @Sendable (Int) -> Void
) -> Bool {
    let finished = DispatchSemaphore(value: 0)
    for index in 0..<count {
        Thread {
            body(index)
            finished.signal()
        }.start()
    }
    let deadline = DispatchTime.now() + .nanoseconds(Int(nanoseconds(of: timeout)))
    for done in 0..<count where finished.wait(timeout: deadline) == .timedOut {
        Issue.record("\(count - done) of \(count) threads still running after \(timeout)", sourceLocation: sourceLocation)
        return false
    }
    return true
}

/// Creates a socket bound to the loopback address of `family` on `port` (0: ephemeral).
public func boundLoopbackSocket(family: Int32, type: Int32, port: Int = 0, reuseAddress: Bool = false) throws -> (fd: Int32, port: Int) {
    let fd = socket(family, type | Int32(SOCK_CLOEXEC.rawValue), 0)
    try check(fd >= 0, "socket")
    if reuseAddress {
        var one: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
    }
    var storage = sockaddr_storage()
    var length: socklen_t
    if family == AF_INET6 {
        var address = sockaddr_in6()
        address.sin6_family = sa_family_t(AF_INET6)
        address.sin6_port = in_port_t(UInt16(port).bigEndian)
        address.sin6_addr = in6addr_loopback
        withUnsafeMutableBytes(of: &storage) { $0.storeBytes(of: address, as: sockaddr_in6.self) }
        length = socklen_t(MemoryLayout<sockaddr_in6>.size)
    } else {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = in_addr_t(UInt32(0x7f00_0001).bigEndian)
        withUnsafeMutableBytes(of: &storage) { $0.storeBytes(of: address, as: sockaddr_in.self) }
        length = socklen_t(MemoryLayout<sockaddr_in>.size)
    }
    let bound = withUnsafePointer(to: &storage) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
    }
    if bound != 0 { _ = close(fd) }
    try check(bound == 0, "bind to loopback port \(port)")
    var actual = sockaddr_storage()
    var actualLength = socklen_t(MemoryLayout<sockaddr_storage>.size)
    _ = withUnsafeMutablePointer(to: &actual) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &actualLength) }
    }
    let portValue = withUnsafeBytes(of: &actual) { raw -> UInt16 in
        family == AF_INET6
            ? raw.load(as: sockaddr_in6.self).sin6_port : raw.load(as: sockaddr_in.self).sin_port
    }
    return (fd, Int(UInt16(bigEndian: portValue)))
}

/// Whether this machine can bind a UDP socket to `::1`.
public func ipv6LoopbackAvailable() -> Bool {
    guard let (fd, _) = try? boundLoopbackSocket(family: AF_INET6, type: Int32(SOCK_DGRAM.rawValue)) else {
        return false
    }
    _ = close(fd)
    return true
}

/// A UDP socket on the loopback address, reading one datagram at a time.
public final class LoopbackUDPReceiver: Sendable {
    public let fd: Int32
    public let port: Int

    /// Binds `port` on the loopback address of `family`; 0, the default, picks an ephemeral port.
    public init(family: Int32 = AF_INET, port: Int = 0) throws {
        (fd, self.port) = try boundLoopbackSocket(family: family, type: Int32(SOCK_DGRAM.rawValue), port: port)
    }

    deinit { _ = close(fd) }

    /// The next datagram, or `nil` if none arrives within `timeout`.
    public func receive(timeout: Duration = .seconds(5)) -> [UInt8]? {
        setReceiveTimeout(fd, timeout)
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count >= 0 { return Array(buffer[..<count]) }
            if errno != EINTR { return nil }
        }
    }
}

/// A port on which nothing listens, kept reserved by a bound socket that never listens
/// (TCP connects to it are refused). Dropping it frees the port.
public final class ReservedPort: Sendable {
    public let fd: Int32
    public let port: Int

    public init(type: Int32 = Int32(SOCK_STREAM.rawValue)) throws {
        (fd, port) = try boundLoopbackSocket(family: AF_INET, type: type)
    }

    deinit { _ = close(fd) }
}

/// The largest send buffer the kernel may give a TCP socket (the last figure of
/// `/proc/sys/net/ipv4/tcp_wmem`), or 4 MiB where that cannot be read: a sender to a peer
/// that does not read stalls after at most about this many bytes.
public func tcpSendBufferLimit() -> Int {
    let wmem = (try? String(contentsOfFile: "/proc/sys/net/ipv4/tcp_wmem", encoding: .utf8)) ?? ""
    return wmem.split(whereSeparator: \.isWhitespace).last.flatMap { Int($0) } ?? 4_194_304
}

/// A TCP listener on 127.0.0.1 (SO_REUSEADDR, so it can be restarted on the port of a
/// stopped one) that accepts one connection at a time.
public final class LoopbackTCPListener {
    public let port: Int
    private var listener: Int32
    public private(set) var connection: Int32 = -1

    /// Listens on `port`; 0, the default, picks an ephemeral port. `receiveBufferSize`
    /// (SO_RCVBUF, inherited by accepted connections) can shrink the TCP window.
    public init(port: Int = 0, receiveBufferSize: Int32? = nil) throws {
        (listener, self.port) = try boundLoopbackSocket(
            family: AF_INET, type: Int32(SOCK_STREAM.rawValue), port: port, reuseAddress: true)
        if var size = receiveBufferSize {
            _ = setsockopt(listener, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        try check(listen(listener, 16) == 0, "listen")
    }

    deinit { stop() }

    /// Accepts the next connection (closing the previous one); throws after `timeout`.
    public func accept(timeout: Duration = .seconds(5)) throws {
        closeConnection()
        setReceiveTimeout(listener, timeout)
        var fd: Int32
        repeat { fd = Glibc.accept(listener, nil, nil) } while fd < 0 && errno == EINTR
        try check(fd >= 0, "accept")
        connection = fd
    }

    /// Reads from the accepted connection until `count` bytes arrived, the peer closed, or
    /// `timeout` passed; returns what arrived.
    public func read(count: Int, timeout: Duration = .seconds(5)) -> [UInt8] {
        var received: [UInt8] = []
        received.reserveCapacity(min(count, 1 << 20))
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let deadline = ContinuousClock.now + timeout
        while received.count < count {
            let remaining = nanoseconds(of: deadline - ContinuousClock.now)
            guard remaining > 0 else { break }
            setReceiveTimeout(connection, .nanoseconds(remaining))
            let wanted = min(buffer.count, count - received.count)
            let n = buffer.withUnsafeMutableBytes { recv(connection, $0.baseAddress, wanted, 0) }
            if n > 0 {
                received += buffer[..<n]
            } else if n == 0 || errno != EINTR {
                break
            }
        }
        return received
    }

    /// Closes the accepted connection; `abortive` sends a reset (SO_LINGER 0) instead of a FIN.
    public func closeConnection(abortive: Bool = false) {
        guard connection >= 0 else { return }
        if abortive {
            var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
            _ = setsockopt(connection, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
        }
        _ = close(connection)
        connection = -1
    }

    /// Closes the connection and the listening socket.
    public func stop(abortive: Bool = false) {
        closeConnection(abortive: abortive)
        if listener >= 0 {
            _ = close(listener)
            listener = -1
        }
    }
}
