import HekaClient
import HekaPlatform
import Streams

/// A TCP listener as hekad's TcpInput is one: it decodes each connection's stream on its own
/// (offsets in problems count from the connection's first byte). It is bounded: at most
/// ``Limits/maximumConnections`` connections are served at once (more wait in the kernel's
/// backlog until one ends), a connection silent for ``Limits/idleTimeout`` is closed, and
/// when the process runs out of descriptors accepting pauses (doubling up to a second)
/// instead of spinning.
public struct TcpListener: Sendable {
    /// The bounds of a listener.
    public struct Limits: Sendable {
        /// Connections served at once.
        public var maximumConnections = 1024
        /// A connection that sends nothing for this long is closed.
        public var idleTimeout: Duration = .seconds(300)
        /// The first pause after accept() finds no descriptor left.
        public var descriptorBackoff: Duration = .milliseconds(50)

        /// The default limits: 1024 connections, 5 minutes idle.
        public init() {}
    }

    /// What a listener did, for its summary.
    public struct Statistics: Sendable, Equatable {
        /// Connections accepted.
        public var accepted = 0
        /// Connections closed for being idle.
        public var closedIdle = 0
        /// Times accept() found no descriptor left (each followed by a pause).
        public var outOfDescriptors = 0
        /// Times the connection limit held new connections back.
        public var heldAtLimit = 0
    }

    private let socket: ListeningSocket
    private let limits: Limits
    /// The address bound, with the port the kernel chose for port 0.
    public var address: String { socket.address }

    /// Listens on `endpoint` (port 0: any free port).
    public init(_ endpoint: HostAndPort, limits: Limits = Limits()) throws(InputError) {
        do throws(ListenError) {
            socket = try .tcp(host: endpoint.host, port: endpoint.port)
        } catch {
            throw InputError(description: "tcp \(endpoint): \(error.message)")
        }
        self.limits = limits
    }

    private struct Connection {
        let fd: Int32
        var channel: RecordChannel
        var lastActive: MonotonicInstant
    }

    /// Serves connections until an interrupt or `sink` is done. An interrupt first reads
    /// what every connection has already delivered.
    @discardableResult
    public func run(keys: [HMACSigner]?, into sink: some InputSink) -> Statistics {
        var state = State(limits: limits)
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        defer {
            for connection in state.connections { closeDescriptor(connection.fd) }
            socket.close()
        }
        var stopping = false
        while !stopping && !sink.isDone {
            let accepting = state.isAccepting(at: .now())
            let watched = (accepting ? [(socket.fd, PollEvents.readable)] : [])
                + state.connections.map { ($0.fd, PollEvents.readable) }
            // The timeout bounds the wait when a signal lands just before poll starts.
            _ = waitForEvents(watched, deadline: state.nextDeadline(now: .now()))
            stopping = InterruptSignals.requested
            if accepting { state.acceptAll(from: socket, keys: keys, sink: sink) }
            let now = MonotonicInstant.now()
            var open: [Connection] = []
            for var connection in state.connections {
                if sink.isDone {
                    open.append(connection)
                    continue
                }
                if read(&connection, into: &buffer, sink: sink, now: now) {
                    if now.nanoseconds - connection.lastActive.nanoseconds >= limits.idleTimeout.clampedNanoseconds {
                        state.statistics.closedIdle += 1
                        sink.notice("\(connection.channel.name): closed after \(limits.idleTimeout) without data")
                        _ = connection.channel.finish(sink.handle)
                        closeDescriptor(connection.fd)
                    } else {
                        open.append(connection)
                    }
                } else {
                    closeDescriptor(connection.fd)
                }
            }
            state.connections = open
            sink.flush()
        }
        return state.statistics
    }

    /// The listener's connections, counters and accept back-off.
    private struct State {
        let limits: Limits
        var connections: [Connection] = []
        var statistics = Statistics()
        var number = 0
        var pausedUntil: MonotonicInstant?
        var backoff: Duration = .zero
        var atLimit = false

        init(limits: Limits) {
            self.limits = limits
        }

        func isAccepting(at now: MonotonicInstant) -> Bool {
            connections.count < limits.maximumConnections && (pausedUntil.map { now >= $0 } ?? true)
        }

        /// The next time the loop must wake: a pause's end, an idle connection's expiry, or
        /// half a second to notice an interrupt.
        func nextDeadline(now: MonotonicInstant) -> MonotonicInstant {
            var deadline = now.advanced(by: .milliseconds(500))
            if let pausedUntil, pausedUntil < deadline { deadline = pausedUntil }
            for connection in connections {
                let expiry = connection.lastActive.advanced(by: limits.idleTimeout)
                if expiry < deadline { deadline = expiry }
            }
            return deadline
        }

        mutating func acceptAll(from socket: ListeningSocket, keys: [HMACSigner]?, sink: some InputSink) {
            while connections.count < limits.maximumConnections {
                switch socket.acceptConnection() {
                case .accepted(let fd, let peer):
                    number += 1
                    statistics.accepted += 1
                    backoff = .zero
                    pausedUntil = nil
                    let name = "tcp connection \(number) from \(peer)"
                    connections.append(Connection(fd: fd, channel: RecordChannel(name: name, keys: keys), lastActive: .now()))
                case .none:
                    atLimit = false
                    return
                case .outOfDescriptors(let error):
                    statistics.outOfDescriptors += 1
                    backoff = backoff == .zero ? limits.descriptorBackoff : min(backoff * 2, .seconds(1))
                    pausedUntil = .after(backoff)
                    if statistics.outOfDescriptors == 1 || backoff == .seconds(1) {
                        sink.notice("tcp: cannot accept a connection (\(error)); pausing accepts for \(backoff)")
                    }
                    return
                case .failed:
                    // The peer reset before it was accepted: nothing of it was read.
                    continue
                }
            }
            if !atLimit {
                atLimit = true
                statistics.heldAtLimit += 1
                sink.notice("tcp: \(limits.maximumConnections) connections open (the limit); new ones wait")
            }
        }
    }

    /// Reads what `connection` has; false when it has ended (its last record checked).
    private func read(_ connection: inout Connection, into buffer: inout [UInt8], sink: some InputSink,
                      now: MonotonicInstant) -> Bool {
        while !sink.isDone {
            switch readBytes(connection.fd, into: &buffer) {
            case .bytes(let count):
                connection.lastActive = now
                guard connection.channel.feed(buffer[..<count], sink.handle) else { return false }
                continue
            case .wouldBlock:
                return true
            case .failed(let error):
                _ = sink.handle(.problem("\(connection.channel.name): \(error)"))
            case .end:
                break
            }
            _ = connection.channel.finish(sink.handle)
            return false
        }
        return false
    }
}
