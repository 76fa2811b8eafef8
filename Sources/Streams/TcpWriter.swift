import DequeModule
import HekaPlatform
import SystemPackage

/// What ``TcpStream``'s callers and its writer thread share, guarded by a ``ConditionLock``.
struct TcpWriterState: Sendable {
    /// Records accepted and not yet taken by the writer.
    var queue = Deque<[UInt8]>()
    /// The record the writer is sending; it stays here until the peer's kernel took all of
    /// it, across reconnects.
    var inFlight: [UInt8]?
    /// `close` has begun: writes are refused.
    var closed = false
    /// The writer thread must exit.
    var stopping = false
    /// The writer thread, once the first write started it.
    var thread: PlatformThread?
    /// Counters; `recordsQueued` is computed from ``pending`` when read.
    var statistics = StreamStatistics()
    /// Records handed to the kernel on the current connection that its peer's kernel has not
    /// acknowledged yet, as far as the writer knows (see ``TcpDeliveryLedger``).
    var unacknowledged = 0
    /// Records sent again on a new connection because the peer's kernel had not acknowledged
    /// them when the old one broke.
    var recordsResent = 0
    /// The writer's connected socket, or -1: a forked child closes its copy.
    var connection: Int32 = -1

    /// Records accepted and not yet handed to the kernel, the one in flight included.
    var pending: Int { queue.count + (inFlight == nil ? 0 : 1) }
    /// Every record accepted so far reached the peer's kernel.
    var delivered: Bool { pending == 0 && unacknowledged == 0 }
}

/// The engine behind ``TcpStream``: the shared state and the body of the writer thread.
///
/// The thread holds a strong reference to this object (not to the `TcpStream`), so dropping
/// the last reference to the stream still runs its `deinit`, which stops the thread.
final class TcpWriter: Sendable {
    let name: String
    let addresses: [SocketAddress]
    let backoff: TcpStream.ReconnectBackoff
    let connectTimeout: Duration
    let lock = ConditionLock(TcpWriterState())
    private let errorHandler: StreamErrorHandler
    /// A socket pair: `close` writes a byte to `wakeSender` so that a `poll` of
    /// `wakeReceiver` (waiting for a connect or for room in the send buffer) returns. A
    /// forked child puts a new pair under the same numbers.
    let wakeReceiver: Int32
    let wakeSender: Int32
    /// How long the idle writer first waits before asking the kernel whether the peer
    /// acknowledged what was sent; the wait doubles up to ``acknowledgementPollMaximum``.
    static let acknowledgementPollInitial = Duration.milliseconds(1)
    static let acknowledgementPollMaximum = Duration.milliseconds(100)

    init(
        name: String, addresses: [SocketAddress], backoff: TcpStream.ReconnectBackoff, connectTimeout: Duration,
        errorHandler: StreamErrorHandler
    ) throws(StreamError) {
        do throws(Errno) {
            (wakeReceiver, wakeSender) = try makeSocketPair()
        } catch {
            throw StreamError(.openFailed, error, stream: name, doing: "cannot create a wake-up socket pair")
        }
        self.name = name
        self.addresses = addresses
        self.backoff = backoff
        self.connectTimeout = connectTimeout
        self.errorHandler = errorHandler
        ForkHandlers.register(self)
    }

    deinit {
        closeDescriptor(wakeReceiver)
        closeDescriptor(wakeSender)
    }

    /// Starts the writer thread. Call with the lock held (from inside `lock.withLock`).
    func startThread() throws(StreamError) -> PlatformThread {
        do throws(Errno) {
            // The thread holds the writer (not the stream) until it returns.
            return try PlatformThread.spawn(name: "heka-tcp-writer") { [self] in run() }
        } catch {
            throw StreamError(.openFailed, error, stream: name, doing: "cannot start the writer thread")
        }
    }

    /// Makes every `poll` of the writer return at once, for good.
    func wake() {
        var byte: UInt8 = 1
        _ = try? withUnsafeBytes(of: &byte) { bytes throws(Errno) in try sendBytes(wakeSender, bytes, dontWait: true) }
    }

    /// Counts `error` and hands it to the error handler.
    func report(_ error: StreamError) {
        lock.withLock { $0.statistics.errorsReported += 1 }
        errorHandler(error)
    }

    // MARK: - The writer thread

    private enum Work {
        case send([UInt8])
        /// Nothing to send, and records wait for the peer's acknowledgement.
        case confirm
        case stop
    }

    /// The writer thread: takes records from the queue and sends them, connecting and
    /// reconnecting as needed, until `stopping` is set. While idle with records not yet
    /// acknowledged, it asks the kernel about them (1 ms, doubling to 100 ms); when a
    /// connection breaks, those records go back to the front of the queue.
    private func run() {
        var fd: Int32 = -1
        defer { if fd >= 0 { closeDescriptor(fd) } }
        var delay = backoff.initial
        var outageReported = false
        var scratch = [UInt8](repeating: 0, count: 512)
        var ledger = TcpDeliveryLedger()
        var acknowledgementPoll = Self.acknowledgementPollInitial

        while true {
            let deadline = ledger.isEmpty ? nil : MonotonicInstant.after(acknowledgementPoll)
            let work = lock.withLock(waitingUntil: { $0.stopping || $0.pending > 0 }, deadline: deadline) {
                state, _ -> Work in
                if state.stopping { return .stop }
                if state.inFlight == nil { state.inFlight = state.queue.popFirst() }
                return state.inFlight.map { .send($0) } ?? .confirm
            }
            let record: [UInt8]
            switch work {
            case .stop: return
            case .send(let next): record = next
            case .confirm:
                // A peer that closed after acknowledging everything is found at the next
                // send, as before; one that went with records unacknowledged, now.
                confirm(fd, ledger: &ledger)
                if !ledger.isEmpty, let code = peerGone(fd, scratch: &scratch) {
                    connectionBroke(&fd, ledger: &ledger)
                    report(lostConnection(code), once: &outageReported)
                }
                acknowledgementPoll = min(acknowledgementPoll * 2, Self.acknowledgementPollMaximum)
                continue
            }

            var failure: StreamError?
            if fd >= 0, let code = peerGone(fd, scratch: &scratch) {
                connectionBroke(&fd, ledger: &ledger)
                failure = lostConnection(code)
            }
            if fd < 0 && failure == nil {
                switch connect() {
                case .connected(let newFD):
                    fd = newFD
                    outageReported = false
                    lock.withLock { state in
                        state.statistics.connects += 1
                        state.connection = newFD
                    }
                case .stopped:
                    return
                case .failed(let error):
                    failure = error
                }
            }
            if fd >= 0 && failure == nil {
                switch sendAll(record, fd: fd) {
                case .sent:
                    if ledger.append(record) { ledger.acknowledge(through: acknowledgedBytes(fd) ?? 0) }
                    let unacknowledged = ledger.count
                    lock.withLock { state in
                        state.inFlight = nil
                        state.unacknowledged = unacknowledged
                        state.statistics.recordsWritten += 1
                        state.statistics.bytesWritten += record.count
                    }
                    lock.broadcast()
                    delay = backoff.initial
                    acknowledgementPoll = Self.acknowledgementPollInitial
                    continue
                case .stopped:
                    return
                case .failed(let code):
                    connectionBroke(&fd, ledger: &ledger)
                    failure = StreamError(
                        .connectionLost, "\(name): connection lost while sending: \(systemErrorMessage(code))", errno: code)
                }
            }
            guard let failure else { continue }
            report(failure, once: &outageReported)
            // Wait out the backoff; `close` ends the wait early by setting `stopping`.
            let stopping = lock.withLock(waitingUntil: { $0.stopping }, deadline: .after(delay)) { state, _ in
                state.stopping
            }
            if stopping { return }
            delay = min(delay * 2, backoff.maximum)
        }
    }

    /// Reports the first failure of an outage.
    private func report(_ failure: StreamError, once reported: inout Bool) {
        guard !reported else { return }
        reported = true
        report(failure)
    }

    private func lostConnection(_ code: Int32) -> StreamError {
        let reason = code == 0 ? "the peer closed the connection" : systemErrorMessage(code)
        return StreamError(.connectionLost, "\(name): connection lost: \(reason)", errno: code == 0 ? nil : code)
    }

    /// Asks the kernel what the peer acknowledged, forgets those records, and wakes the
    /// threads waiting in `flush`.
    private func confirm(_ fd: Int32, ledger: inout TcpDeliveryLedger) {
        ledger.acknowledge(through: acknowledgedBytes(fd) ?? 0)
        let unacknowledged = ledger.count
        lock.withLock { $0.unacknowledged = unacknowledged }
        lock.broadcast()
    }

    /// Closes a broken connection and puts the records its peer's kernel had not
    /// acknowledged (read before closing) back in front of the queue, oldest first, ahead of
    /// the record in flight: they are sent again on the next connection.
    private func connectionBroke(_ fd: inout Int32, ledger: inout TcpDeliveryLedger) {
        let again = ledger.takeUnacknowledged(acknowledged: fd >= 0 ? acknowledgedBytes(fd) : nil)
        if fd >= 0 { closeDescriptor(fd) }
        fd = -1
        lock.withLock { state in
            state.connection = -1
            state.unacknowledged = 0
            if let inFlight = state.inFlight {
                state.queue.prepend(inFlight)
                state.inFlight = nil
            }
            state.queue.prepend(contentsOf: again)
            state.recordsResent += again.count
            state.statistics.recordsWritten -= again.count
            state.statistics.bytesWritten -= again.reduce(0) { $0 + $1.count }
        }
    }

    /// Whether the peer has gone: `nil` while the connection looks healthy, `0` after the
    /// peer's FIN, or the `errno` of a reset. Bytes the peer sent (a Heka input sends none)
    /// are read and discarded so that they cannot hide a FIN queued behind them.
    private func peerGone(_ fd: Int32, scratch: inout [UInt8]) -> Int32? {
        guard fd >= 0 else { return nil }
        while true {
            let received = scratch.withUnsafeMutableBytes { buffer in
                Result { () throws(Errno) in try receiveNow(fd, into: buffer) }
            }
            switch received {
            case .success(0): return 0
            case .success: continue
            case .failure(let error): return error.isWouldBlock ? nil : error.rawValue
            }
        }
    }

    private enum ConnectOutcome {
        case connected(Int32)
        case failed(StreamError)
        case stopped
    }

    /// Tries each resolved address in turn, each with a non-blocking connect bounded by
    /// `connectTimeout` (and cut short by `close`).
    private func connect() -> ConnectOutcome {
        var reasons: [String] = []
        var lastCode: Int32 = 0
        for address in addresses {
            let fd: Int32
            do throws(Errno) {
                fd = try makeSocket(family: address.family, kind: .stream, nonBlocking: true)
            } catch {
                lastCode = error.rawValue
                reasons.append("\(address): \(error)")
                continue
            }
            var failure: Errno?
            do throws(Errno) {
                try connectSocket(fd, to: address)
            } catch {
                failure = error
            }
            if failure == .nowInProgress || failure == .alreadyInProcess {
                switch waitUntilWritable(fd, deadline: .after(connectTimeout)) {
                case .stopped:
                    closeDescriptor(fd)
                    return .stopped
                case .timedOut:
                    failure = .timedOut
                case .ready:
                    failure = pendingSocketError(fd)
                }
            }
            guard let failure else { return .connected(fd) }
            closeDescriptor(fd)
            lastCode = failure.rawValue
            reasons.append("\(address): \(failure)")
        }
        return .failed(
            StreamError(.connectFailed, "\(name): cannot connect: \(reasons.joined(separator: "; "))", errno: lastCode))
    }

    private enum SendOutcome {
        case sent
        case failed(Int32)
        case stopped
    }

    /// Sends the whole record (``sendBytes(_:_:dontWait:)``: `MSG_NOSIGNAL`, so a closed peer
    /// gives `EPIPE`, never `SIGPIPE`), looping on partial sends and waiting in `poll` while
    /// the send buffer is full.
    private func sendAll(_ record: [UInt8], fd: Int32) -> SendOutcome {
        record.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                do throws(Errno) {
                    let sent = try sendBytes(fd, UnsafeRawBufferPointer(rebasing: bytes[offset...]), dontWait: true)
                    if sent == 0 { return .failed(Errno.brokenPipe.rawValue) }
                    offset += sent
                } catch {
                    guard error.isWouldBlock else { return .failed(error.rawValue) }
                    if case .stopped = waitUntilWritable(fd, deadline: nil) { return .stopped }
                }
            }
            return .sent
        }
    }

    private enum WaitOutcome {
        case ready, timedOut, stopped
    }

    /// Polls `fd` for writability together with the wake-up socket.
    private func waitUntilWritable(_ fd: Int32, deadline: MonotonicInstant?) -> WaitOutcome {
        switch waitForEvents([(fd, PollEvents.writable), (wakeReceiver, PollEvents.readable)], deadline: deadline) {
        case .timedOut: .timedOut
        case .ready(let ready): ready.contains(1) ? .stopped : .ready
        }
    }
}
