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

    /// Records accepted and not yet handed to the kernel, the one in flight included.
    var pending: Int { queue.count + (inFlight == nil ? 0 : 1) }
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
    /// `wakeReceiver` (waiting for a connect or for room in the send buffer) returns.
    private let wakeReceiver: Int32
    private let wakeSender: Int32

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

    /// The writer thread: takes records from the queue and sends them, connecting and
    /// reconnecting as needed, until `stopping` is set.
    private func run() {
        var fd: Int32 = -1
        defer { if fd >= 0 { closeDescriptor(fd) } }
        var delay = backoff.initial
        var outageReported = false
        var scratch = [UInt8](repeating: 0, count: 512)

        while true {
            let next = lock.withLock(waitingUntil: { $0.stopping || $0.pending > 0 }, deadline: nil) {
                state, _ -> [UInt8]? in
                if state.stopping { return nil }
                if state.inFlight == nil { state.inFlight = state.queue.popFirst() }
                return state.inFlight
            }
            guard let record = next else { return }

            var failure: StreamError?
            if fd >= 0, let code = peerGone(fd, scratch: &scratch) {
                closeDescriptor(fd)
                fd = -1
                let reason = code == 0 ? "the peer closed the connection" : systemErrorMessage(code)
                failure = StreamError(.connectionLost, "\(name): connection lost: \(reason)", errno: code == 0 ? nil : code)
            }
            if fd < 0 && failure == nil {
                switch connect() {
                case .connected(let newFD):
                    fd = newFD
                    outageReported = false
                    lock.withLock { $0.statistics.connects += 1 }
                case .stopped:
                    return
                case .failed(let error):
                    failure = error
                }
            }
            if fd >= 0 && failure == nil {
                switch sendAll(record, fd: fd) {
                case .sent:
                    lock.withLock { state in
                        state.inFlight = nil
                        state.statistics.recordsWritten += 1
                        state.statistics.bytesWritten += record.count
                    }
                    lock.broadcast()
                    delay = backoff.initial
                    continue
                case .stopped:
                    return
                case .failed(let code):
                    closeDescriptor(fd)
                    fd = -1
                    failure = StreamError(
                        .connectionLost, "\(name): connection lost while sending: \(systemErrorMessage(code))", errno: code)
                }
            }
            guard let failure else { continue }
            if !outageReported {
                outageReported = true
                report(failure)
            }
            // Wait out the backoff; `close` ends the wait early by setting `stopping`.
            let stopping = lock.withLock(waitingUntil: { $0.stopping }, deadline: .after(delay)) { state, _ in
                state.stopping
            }
            if stopping { return }
            delay = min(delay * 2, backoff.maximum)
        }
    }

    /// Whether the peer has gone: `nil` while the connection looks healthy, `0` after the
    /// peer's FIN, or the `errno` of a reset. Bytes the peer sent (a Heka input sends none)
    /// are read and discarded so that they cannot hide a FIN queued behind them.
    private func peerGone(_ fd: Int32, scratch: inout [UInt8]) -> Int32? {
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
