import HekaPlatform

/// Sends records over one TCP connection, from a background writer thread.
///
/// **Queue.** ``write(_:)`` never waits on the network: it appends the record to a bounded
/// in-memory queue and returns. When ``queueCapacity`` records are pending (queued, or being
/// sent), the record is dropped, counted in ``StreamStatistics/recordsDropped``, and
/// ``StreamError/Code/queueFull`` is thrown.
///
/// **Connection.** The host is resolved by the initialiser (which therefore throws
/// ``StreamError/Code/resolveFailed`` for an unknown host) and not re-resolved later. The
/// connection is made lazily: the first write starts the writer thread (a pthread that sleeps
/// on a condition variable while the queue is empty), which connects, trying each resolved
/// address in turn with a non-blocking connect bounded by ``connectTimeout``. It sends with
/// `MSG_NOSIGNAL`, so a closed peer gives `EPIPE`, never `SIGPIPE`, and loops on partial sends.
///
/// **Reconnecting.** Before each send the writer checks, without blocking, whether the peer
/// has closed the connection (a `recv` returning 0) or reset it, so a record is not sent into
/// a half-closed socket. When the peer has gone, a send fails, or a connect fails, the writer
/// reports the failure to the stream's ``StreamErrorHandler`` — once per outage: the first
/// ``StreamError/Code/connectionLost`` or ``StreamError/Code/connectFailed``, nothing more
/// until a connect succeeds — closes the socket, waits the ``reconnectBackoff`` delay (50 ms,
/// doubling, at most 2 s by default; reset after a record is sent; ``close(timeout:)`` cuts
/// the wait short) and reconnects. Records stay queued across reconnects.
///
/// **Resend rule.** The writer keeps the records it handed to the kernel until the peer's
/// kernel has acknowledged them (it asks with `TCP_INFO` every 1,024 records or 1 MiB, and
/// while idle). When a connection breaks, every record not acknowledged whole is sent
/// again, from its first byte and in order, on the next connection, before the rest of the
/// queue; ``recordsResent`` counts them. The old peer may have received part of such a
/// record, so a truncated copy can arrive before the new connection (Heka's stream framing
/// resynchronises on the next record separator, `0x1E`, so it costs only itself). What TCP
/// cannot tell is whether the peer's *program* read what its kernel acknowledged: records
/// acknowledged and then dropped unread by a peer that closed or reset the connection (at
/// most the peer's receive buffer) are lost without notice.
///
/// **Flush and close.** ``flush(timeout:)`` waits until every accepted record has been
/// acknowledged by the peer's kernel (usually one round trip after the last send; a peer's
/// delayed acknowledgement can add up to 40 ms). ``close(timeout:)`` refuses new writes,
/// flushes with the deadline, then stops the thread and closes the socket; records still
/// pending are dropped and counted. A stream released without `close` stops its thread the same way,
/// at once, and reports the records it dropped to its error handler.
///
/// **Fork.** In a child made by `fork()`, the stream starts afresh: no connection (the
/// parent's stays the parent's), no records of the parent's, and a writer thread started by
/// the child's first write.
///
/// ``StreamStatistics/connects`` counts successful connects, and
/// ``StreamStatistics/recordsQueued`` the records pending.
public final class TcpStream: HekaStream {
    /// The delays between reconnection attempts: ``initial`` after the first failure,
    /// doubling after each further failure, never more than ``maximum``.
    public struct ReconnectBackoff: Sendable, Hashable {
        /// The first delay. Must be positive.
        public var initial: Duration
        /// The longest delay. Must not be less than ``initial``.
        public var maximum: Duration

        /// Creates a backoff.
        ///
        /// - Parameters:
        ///   - initial: The first delay. Defaults to 50 ms.
        ///   - maximum: The cap on the doubling delay. Defaults to 2 s.
        public init(initial: Duration = .milliseconds(50), maximum: Duration = .seconds(2)) {
            self.initial = initial
            self.maximum = maximum
        }
    }

    /// `tcp://host:port`, with the host as given.
    public let description: String
    /// The most records pending (queued or being sent) at once.
    public let queueCapacity: Int
    /// The delays between reconnection attempts.
    public let reconnectBackoff: ReconnectBackoff
    /// How long one connect attempt to one address may take.
    public let connectTimeout: Duration
    private let writer: TcpWriter

    /// Creates a stream to `host:port`. Nothing is connected until the first write.
    ///
    /// - Parameters:
    ///   - host: An IPv4 or IPv6 literal or a host name, resolved now.
    ///   - port: The TCP port, 1...65535.
    ///   - queueCapacity: The most records pending at once. Defaults to `10_000`. Must be
    ///     positive.
    ///   - reconnectBackoff: The delays between reconnection attempts. Defaults to 50 ms
    ///     doubling up to 2 s.
    ///   - connectTimeout: How long one connect attempt may take. Defaults to 5 s. Must be
    ///     positive.
    ///   - errorHandler: Receives, on the writer thread, the first failure of each outage;
    ///     and, on the thread that releases the stream unclosed, the records that dropped.
    ///     Default: a line on standard error, at most one a second.
    /// - Throws: ``StreamError/Code/invalidConfiguration`` for a bad port, capacity, backoff
    ///   or timeout; ``StreamError/Code/resolveFailed`` naming a host that does not resolve;
    ///   ``StreamError/Code/openFailed`` if the wake-up socket pair cannot be created.
    public init(
        host: String, port: Int, queueCapacity: Int = 10_000,
        reconnectBackoff: ReconnectBackoff = ReconnectBackoff(), connectTimeout: Duration = .seconds(5),
        errorHandler: StreamErrorHandler = .standardError()
    ) throws(StreamError) {
        let name = "tcp://" + endpointDescription(host: host, port: port)
        guard queueCapacity > 0 else {
            throw StreamError(.invalidConfiguration, "\(name): queueCapacity \(queueCapacity) must be positive")
        }
        guard reconnectBackoff.initial > .zero, reconnectBackoff.maximum >= reconnectBackoff.initial else {
            throw StreamError(
                .invalidConfiguration,
                "\(name): reconnectBackoff needs 0 < initial (\(reconnectBackoff.initial)) <= maximum (\(reconnectBackoff.maximum))"
            )
        }
        guard connectTimeout > .zero else {
            throw StreamError(.invalidConfiguration, "\(name): connectTimeout \(connectTimeout) must be positive")
        }
        let addresses: [SocketAddress]
        do throws(AddressError) {
            addresses = try SocketAddress.resolve(host: host, port: port, kind: .stream)
        } catch {
            throw StreamError(error, stream: name)
        }
        self.writer = try TcpWriter(
            name: name, addresses: addresses, backoff: reconnectBackoff, connectTimeout: connectTimeout,
            errorHandler: errorHandler)
        self.description = name
        self.queueCapacity = queueCapacity
        self.reconnectBackoff = reconnectBackoff
        self.connectTimeout = connectTimeout
    }

    /// Stops the writer thread without waiting: records still pending are dropped, counted and
    /// reported to the error handler. Call ``close(timeout:)`` first to deliver them.
    deinit {
        let dropped = shutDown(timeout: .zero).dropped
        if dropped > 0 {
            writer.report(StreamError(
                .timedOut, "\(description): released before close; \(dropped) records still pending were dropped"))
        }
    }

    /// Queues the record for the writer thread, starting the thread on the first call.
    ///
    /// - Throws: ``StreamError/Code/queueFull`` when ``queueCapacity`` records are pending
    ///   (the record is dropped and counted in ``StreamStatistics/recordsDropped``);
    ///   ``StreamError/Code/closed`` once ``close(timeout:)`` has begun;
    ///   ``StreamError/Code/openFailed`` if the writer thread cannot be started.
    public func write(_ record: [UInt8]) throws(StreamError) {
        try writer.lock.withLock { (state) throws(StreamError) -> Void in
            guard !state.closed else {
                throw StreamError(.closed, "\(description): write after close")
            }
            guard state.pending < queueCapacity else {
                state.statistics.recordsDropped += 1
                throw StreamError(
                    .queueFull,
                    "\(description): queue full (\(queueCapacity) records pending); record of \(record.count) bytes dropped")
            }
            if state.thread == nil {
                state.thread = try writer.startThread()
            }
            state.queue.append(record)
        }
        writer.lock.broadcast()
    }

    /// Waits until every record accepted so far has been acknowledged by the peer's kernel.
    ///
    /// - Throws: ``StreamError/Code/timedOut``, saying how many records are pending and how
    ///   many await the peer's acknowledgement, if that has not happened within `timeout`.
    public func flush(timeout: Duration) throws(StreamError) {
        let (pending, unacknowledged) = writer.lock.withLock(
            waitingUntil: { $0.delivered }, deadline: .after(timeout)
        ) { state, _ in (state.pending, state.unacknowledged) }
        guard pending == 0 && unacknowledged == 0 else {
            throw StreamError(
                .timedOut,
                "\(description): flush timed out after \(timeout.millisecondsText) with \(pending) records pending"
                    + Self.unacknowledgedText(unacknowledged, " and"))
        }
    }

    /// Refuses new writes, waits up to `timeout` for pending records to be sent, then stops
    /// the writer thread and closes the connection. Closing twice is harmless.
    ///
    /// - Throws: ``StreamError/Code/timedOut`` if records were still pending at the deadline;
    ///   they are dropped, counted in ``StreamStatistics/recordsDropped``, and their number
    ///   is in the error's message.
    public func close(timeout: Duration) throws(StreamError) {
        let (dropped, unacknowledged) = shutDown(timeout: timeout)
        guard dropped == 0 && unacknowledged == 0 else {
            throw StreamError(
                .timedOut,
                "\(description): close timed out after \(timeout.millisecondsText); \(dropped) records still pending were "
                    + "dropped" + Self.unacknowledgedText(unacknowledged, ";"))
        }
    }

    /// `", and N not yet acknowledged by the peer"` (with `joiner` first), or nothing for 0.
    private static func unacknowledgedText(_ count: Int, _ joiner: String) -> String {
        count == 0 ? "" : "\(joiner) \(count) not yet acknowledged by the peer"
    }

    /// Refuses new writes, waits up to `timeout` for pending records to be acknowledged,
    /// stops the writer thread and drops what is still pending; returns how many records that
    /// was, and how many the kernel still held unacknowledged (0 and 0 when already closed).
    private func shutDown(timeout: Duration) -> (dropped: Int, unacknowledged: Int) {
        let deadline = MonotonicInstant.after(timeout)
        let alreadyClosed = writer.lock.withLock { state in
            defer { state.closed = true }
            return state.closed
        }
        if alreadyClosed { return (0, 0) }
        writer.lock.withLock(waitingUntil: { $0.delivered }, deadline: deadline) { _, _ in }
        let thread = writer.lock.withLock { state in
            state.stopping = true
            return state.thread
        }
        writer.lock.broadcast()
        writer.wake()
        // From the writer thread itself (an error handler calling close), `join` detaches.
        thread?.join()
        let left = writer.lock.withLock { state in
            let dropped = state.pending
            state.queue.removeAll()
            state.inFlight = nil
            state.statistics.recordsDropped += dropped
            return (dropped, state.unacknowledged)
        }
        writer.lock.broadcast()
        return left
    }

    /// Records sent (handed whole to the kernel, less those given back to be sent again),
    /// dropped and pending, and successful connects. ``StreamStatistics/recordsFailed`` stays
    /// 0: a record that could not be sent, or was not acknowledged when its connection broke,
    /// is sent again on the next connection, never given up on, until `close` drops it.
    public var statistics: StreamStatistics {
        writer.lock.withLock { state in
            var statistics = state.statistics
            statistics.recordsQueued = state.pending
            statistics.recordsResent = state.recordsResent
            return statistics
        }
    }

    /// Records sent again on a new connection because the peer's kernel had not acknowledged
    /// them when the old connection broke (see the resend rule above).
    public var recordsResent: Int {
        writer.lock.withLock { $0.recordsResent }
    }
}
