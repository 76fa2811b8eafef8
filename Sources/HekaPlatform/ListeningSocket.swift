#if canImport(Glibc)
import Glibc
#endif
import SystemPackage

/// Why a socket could not listen; the message names the host, port or call, not the command.
public struct ListenError: Error, Sendable {
    public var message: String
}

/// A bound socket that receives: UDP datagrams, or TCP connections to accept. Both are
/// non-blocking and close-on-exec; wait for them with ``waitForEvents(_:deadline:)``.
public struct ListeningSocket: Sendable {
    /// The socket.
    public let fd: Int32
    /// The numeric address bound, with the port the kernel chose for port 0.
    public let address: String

    /// SO_RXQ_OVFL (asm-generic/socket.h): the kernel's count of datagrams it dropped for a
    /// full receive buffer, as a control message with each datagram.
    private static let overflowOption: Int32 = 40
    /// SO_RCVBUFFORCE: a receive buffer above net.core.rmem_max, for a privileged process.
    private static let forcedBufferOption: Int32 = 33

    /// A UDP socket bound to `host:port` (port 0: any free port), asking for a receive
    /// buffer of `receiveBufferSize` bytes (capped by the kernel without privileges) and for
    /// the kernel's count of dropped datagrams.
    public static func udp(host: String, port: Int, receiveBufferSize: Int32) throws(ListenError) -> ListeningSocket {
        let (fd, bound) = try bind(host: host, port: port, kind: .datagram)
        var size = receiveBufferSize
        let length = socklen_t(MemoryLayout<Int32>.size)
        if setsockopt(fd, SOL_SOCKET, forcedBufferOption, &size, length) != 0 {
            _ = setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, length)
        }
        var on: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, overflowOption, &on, length)
        return ListeningSocket(fd: fd, address: bound)
    }

    /// A TCP socket listening on `host:port` (port 0: any free port).
    public static func tcp(host: String, port: Int) throws(ListenError) -> ListeningSocket {
        let (fd, bound) = try bind(host: host, port: port, kind: .stream) { fd in
            var on: Int32 = 1
            _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
        }
        do throws(Errno) {
            _ = try syscall { listen(fd, 64) }
        } catch {
            closeDescriptor(fd)
            throw ListenError(message: "cannot listen: \(error)")
        }
        return ListeningSocket(fd: fd, address: bound)
    }

    /// Resolves, opens and binds a non-blocking socket; returns it and the address bound.
    private static func bind(
        host: String, port: Int, kind: SocketKind, beforeBinding: (Int32) -> Void = { _ in }
    ) throws(ListenError) -> (Int32, String) {
        let address: SocketAddress
        do throws(AddressError) {
            address = try SocketAddress.resolve(host: host, port: port, kind: kind, listening: true)[0]
        } catch {
            throw ListenError(message: error.message)
        }
        let fd: Int32
        do throws(Errno) {
            fd = try makeSocket(family: address.family, kind: kind, nonBlocking: true)
        } catch {
            throw ListenError(message: "cannot create \(familyName(address.family)) socket: \(error)")
        }
        beforeBinding(fd)
        var storage = address.storage
        let status = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(fd, $0, address.length) }
        }
        guard status == 0 else {
            let code = Errno(rawValue: errno)
            closeDescriptor(fd)
            throw ListenError(message: "cannot listen: \(code)")
        }
        return (fd, localAddress(of: fd).description)
    }

    /// Closes the socket.
    public func close() { closeDescriptor(fd) }

    /// What one ``acceptConnection()`` gave.
    public enum AcceptOutcome: Sendable {
        /// A connection (non-blocking, close-on-exec) and its peer's address.
        case accepted(fd: Int32, peer: String)
        /// No connection is waiting.
        case none
        /// The process or the system has no descriptor left (EMFILE, ENFILE, ENOBUFS,
        /// ENOMEM): the connection stays queued; accept again after a pause.
        case outOfDescriptors(Errno)
        /// Another failure (the connection was reset before it was accepted, …).
        case failed(Errno)
    }

    /// Accepts a connection waiting on the socket, without waiting.
    public func acceptConnection() -> AcceptOutcome {
        var peer = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let result = withUnsafeMutablePointer(to: &peer) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                Result { () throws(Errno) in try syscall { Glibc.accept(fd, address, &length) } }
            }
        }
        switch result {
        case .success(let accepted):
            // (accept4, which sets both at once, is not in the Glibc module Swift imports.)
            _ = fcntl(accepted, F_SETFL, fcntl(accepted, F_GETFL) | O_NONBLOCK)
            _ = fcntl(accepted, F_SETFD, FD_CLOEXEC)
            return .accepted(fd: accepted, peer: SocketAddress(storage: peer, length: length).description)
        case .failure(let error) where error.isWouldBlock:
            return .none
        case .failure(let error) where [EMFILE, ENFILE, ENOBUFS, ENOMEM].contains(error.rawValue):
            return .outOfDescriptors(error)
        case .failure(let error):
            return .failed(error)
        }
    }

    /// One datagram received without waiting: its size, its sender, and the kernel's running
    /// count of datagrams dropped for a full buffer (when the control message carried it);
    /// `nil` when none is queued.
    public func receiveDatagram(
        into buffer: inout [UInt8], control: inout [UInt8]
    ) -> (count: Int, peer: String, kernelDrops: UInt32?)? {
        for index in control.indices { control[index] = 0 }
        var peer = sockaddr_storage()
        var peerLength = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let count = buffer.withUnsafeMutableBytes { data in
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
                        let count = (try? syscall { recvmsg(fd, &header, Int32(MSG_DONTWAIT)) }) ?? -1
                        peerLength = header.msg_namelen
                        return count
                    }
                }
            }
        }
        guard count >= 0 else { return nil }
        return (count, SocketAddress(storage: peer, length: peerLength).description, Self.overflowCount(control))
    }

    /// The count in an SO_RXQ_OVFL control message (a `cmsghdr` of 16 bytes on 64-bit
    /// Linux, then a 32-bit count).
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

/// The address a socket is bound to.
private func localAddress(of fd: Int32) -> SocketAddress {
    var bound = sockaddr_storage()
    var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
    _ = withUnsafeMutablePointer(to: &bound) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    return SocketAddress(storage: bound, length: length)
}
