#if canImport(Glibc)
import Glibc
#endif
import HekaClient
import Streams

/// `heka cat --udp`: a UDP socket that decodes each datagram on its own, as hekad's
/// UdpInput does. It asks for a large receive buffer, and the kernel's count of datagrams
/// dropped because that buffer was full (SO_RXQ_OVFL) goes into the summary, so that
/// what a sender sent can be reconciled with what was read.
struct UdpListener {
    private let fd: Int32
    /// The address bound, with the port the kernel chose for port 0.
    let address: String

    /// The receive buffer asked for; without privileges the kernel caps it at
    /// net.core.rmem_max.
    static let receiveBufferSize: Int32 = 16 << 20
    private static let overflowOption: Int32 = 40  // SO_RXQ_OVFL (asm-generic/socket.h)
    private static let forcedBufferOption: Int32 = 33  // SO_RCVBUFFORCE

    init(_ endpoint: Endpoint) throws(InputError) {
        let name = "udp \(endpoint)"
        do throws(StreamError) {
            let bound = try SocketAddress.resolve(
                host: endpoint.host, port: endpoint.port, kind: .datagram, listening: true, stream: name)[0]
            fd = try makeSocket(family: bound.family, kind: .datagram, stream: name)
            var size = Self.receiveBufferSize
            let length = socklen_t(MemoryLayout<Int32>.size)
            if setsockopt(fd, SOL_SOCKET, Self.forcedBufferOption, &size, length) != 0 {
                _ = setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, length)
            }
            var on: Int32 = 1
            _ = setsockopt(fd, SOL_SOCKET, Self.overflowOption, &on, length)
            address = try bindAndName(fd, bound, name: name)
        } catch {
            throw InputError(description: error.message)
        }
    }

    /// Reads datagrams until an interrupt or the session's limit; an interrupt first reads
    /// what the kernel has already queued.
    func run(keys: [HMACSigner]?, into session: CatSession) {
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var control = [UInt8](repeating: 0, count: 64)
        var number = 0
        var drops: UInt32 = 0
        var stopping = false
        while !stopping && !session.isDone {
            var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            // The timeout bounds the wait when a signal lands just before poll starts.
            if poll(&descriptor, 1, 500) < 0 && errno != EINTR { break }
            stopping = Interrupt.requested
            while !session.isDone {
                var peer = sockaddr_storage()
                var peerLength = socklen_t(MemoryLayout<sockaddr_storage>.size)
                let count = receive(into: &buffer, control: &control, peer: &peer, peerLength: &peerLength)
                guard count >= 0 else { break }
                if let dropped = Self.overflowCount(control) { drops = dropped }
                number += 1
                let from = SocketAddress(storage: peer, length: peerLength)
                var channel = RecordChannel(name: "udp datagram \(number) from \(from)", keys: keys)
                guard channel.feed(buffer[..<count], session.handle), channel.finish(session.handle) else { break }
            }
            session.flush()
        }
        session.kernelDrops = Int(drops)
    }

    /// One datagram, without waiting; -1 when none is queued.
    private func receive(into buffer: inout [UInt8], control: inout [UInt8], peer: inout sockaddr_storage,
                         peerLength: inout socklen_t) -> Int {
        for index in control.indices { control[index] = 0 }
        return buffer.withUnsafeMutableBytes { data in
            control.withUnsafeMutableBytes { controlBytes in
                withUnsafeMutablePointer(to: &peer) { peerPointer in
                    var vector = iovec(iov_base: data.baseAddress, iov_len: data.count)
                    return withUnsafeMutablePointer(to: &vector) { vectorPointer in
                        var header = msghdr()
                        header.msg_name = UnsafeMutableRawPointer(peerPointer)
                        header.msg_namelen = peerLength
                        header.msg_iov = vectorPointer
                        header.msg_iovlen = 1
                        header.msg_control = controlBytes.baseAddress
                        header.msg_controllen = controlBytes.count
                        let count = recvmsg(fd, &header, Int32(MSG_DONTWAIT))
                        peerLength = header.msg_namelen
                        return count
                    }
                }
            }
        }
    }

    /// The kernel's running count of dropped datagrams, from the SO_RXQ_OVFL control
    /// message (a `cmsghdr` of 16 bytes on 64-bit Linux, then a 32-bit count).
    private static func overflowCount(_ control: [UInt8]) -> UInt32? {
        var offset = 0
        let headerSize = MemoryLayout<cmsghdr>.size
        while offset + headerSize <= control.count {
            let length = control.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: Int.self) }
            guard length >= headerSize else { return nil }
            let level = control.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset + 8, as: Int32.self) }
            let type = control.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset + 12, as: Int32.self) }
            if level == SOL_SOCKET && type == overflowOption && offset + headerSize + 4 <= control.count {
                return control.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset + headerSize, as: UInt32.self) }
            }
            offset += (length + 7) & ~7
        }
        return nil
    }
}

/// Binds `fd` to `address` and returns the address bound (its real port for port 0).
func bindAndName(_ fd: Int32, _ address: SocketAddress, name: String) throws(StreamError) -> String {
    let status = address.withSockAddr { bind(fd, $0, $1) }
    guard status == 0 else {
        let code = errno
        close(fd)
        throw StreamError(.openFailed, "\(name): cannot listen: \(systemErrorMessage(code))", errno: code)
    }
    var bound = sockaddr_storage()
    var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
    _ = withUnsafeMutablePointer(to: &bound) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    return SocketAddress(storage: bound, length: length).description
}
