import HekaClient
import HekaPlatform
import Streams

/// `heka cat --tcp`: accepts any number of connections, as hekad's TcpInput does, and
/// decodes each one's stream on its own (offsets in problems count from the connection's
/// first byte).
struct TcpListener {
    private let socket: ListeningSocket
    /// The address bound, with the port the kernel chose for port 0.
    var address: String { socket.address }

    init(_ endpoint: Endpoint) throws(InputError) {
        do throws(ListenError) {
            socket = try .tcp(host: endpoint.host, port: endpoint.port)
        } catch {
            throw InputError(description: "tcp \(endpoint): \(error.message)")
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
            for connection in connections { closeDescriptor(connection.fd) }
            socket.close()
        }
        var stopping = false
        while !stopping && !session.isDone {
            let watched = [(socket.fd, PollEvents.readable)] + connections.map { ($0.fd, PollEvents.readable) }
            // The timeout bounds the wait when a signal lands just before poll starts.
            _ = waitForEvents(watched, deadline: .after(.milliseconds(500)))
            stopping = InterruptSignals.requested
            while let (client, peer) = socket.accept() {
                number += 1
                let name = "tcp connection \(number) from \(peer)"
                connections.append(Connection(fd: client, channel: RecordChannel(name: name, keys: keys)))
            }
            var open: [Connection] = []
            for var connection in connections {
                if read(&connection, into: &buffer, session: session) {
                    open.append(connection)
                } else {
                    closeDescriptor(connection.fd)
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
            switch readBytes(connection.fd, into: &buffer) {
            case .bytes(let count):
                guard connection.channel.feed(buffer[..<count], session.handle) else { return false }
                continue
            case .wouldBlock:
                return true
            case .failed(let error):
                _ = session.handle(.problem("\(connection.channel.name): \(error)"))
            case .end:
                break
            }
            _ = connection.channel.finish(session.handle)
            return false
        }
        return false
    }
}
