#if canImport(Glibc)
import Glibc
#endif
import HekaClient
import Streams

/// `heka cat --tcp`: accepts any number of connections, as hekad's TcpInput does, and
/// decodes each one's stream on its own (offsets in problems count from the connection's
/// first byte).
struct TcpListener {
    private let fd: Int32
    /// The address bound, with the port the kernel chose for port 0.
    let address: String

    init(_ endpoint: Endpoint) throws(InputError) {
        let name = "tcp \(endpoint)"
        do throws(StreamError) {
            let bound = try SocketAddress.resolve(
                host: endpoint.host, port: endpoint.port, kind: .stream, listening: true, stream: name)[0]
            fd = try makeSocket(family: bound.family, kind: .stream, nonBlocking: true, stream: name)
            var on: Int32 = 1
            _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
            address = try bindAndName(fd, bound, name: name)
            guard listen(fd, 64) == 0 else {
                let code = errno
                close(fd)
                throw StreamError(.openFailed, "\(name): cannot listen: \(systemErrorMessage(code))", errno: code)
            }
        } catch {
            throw InputError(description: error.message)
        }
    }

    private struct Connection {
        let fd: Int32
        var channel: RecordChannel
    }

    /// Serves connections until an interrupt or the session's limit. An interrupt first
    /// reads what every connection has already delivered.
    func run(keys: [HMACSigner]?, into session: CatSession) {
        var connections: [Connection] = []
        var number = 0
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        defer {
            for connection in connections { close(connection.fd) }
            close(fd)
        }
        var stopping = false
        while !stopping && !session.isDone {
            var descriptors = [pollfd(fd: fd, events: Int16(POLLIN), revents: 0)]
                + connections.map { pollfd(fd: $0.fd, events: Int16(POLLIN), revents: 0) }
            // The timeout bounds the wait when a signal lands just before poll starts.
            if poll(&descriptors, nfds_t(descriptors.count), 500) < 0 && errno != EINTR { break }
            stopping = Interrupt.requested
            while case let client = accept(fd, nil, nil), client >= 0 {
                _ = fcntl(client, F_SETFL, fcntl(client, F_GETFL) | O_NONBLOCK)
                _ = fcntl(client, F_SETFD, FD_CLOEXEC)
                number += 1
                var peer = sockaddr_storage()
                var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
                _ = withUnsafeMutablePointer(to: &peer) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getpeername(client, $0, &length) }
                }
                let name = "tcp connection \(number) from \(SocketAddress(storage: peer, length: length))"
                connections.append(Connection(fd: client, channel: RecordChannel(name: name, keys: keys)))
            }
            var open: [Connection] = []
            for var connection in connections {
                if read(&connection, into: &buffer, session: session) {
                    open.append(connection)
                } else {
                    close(connection.fd)
                }
                if session.isDone { break }
            }
            connections = open
            session.flush()
        }
    }

    /// Reads what `connection` has; false when it has ended (its last record checked).
    private func read(_ connection: inout Connection, into buffer: inout [UInt8], session: CatSession) -> Bool {
        while !session.isDone {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(connection.fd, $0.baseAddress, $0.count) }
            if count > 0 {
                guard connection.channel.feed(buffer[..<count], session.handle) else { return false }
                continue
            }
            if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { return true }
            if count < 0 && errno == EINTR { continue }
            if count < 0 { _ = session.handle(.problem("\(connection.channel.name): \(systemErrorMessage(errno))")) }
            _ = connection.channel.finish(session.handle)
            return false
        }
        return false
    }
}
