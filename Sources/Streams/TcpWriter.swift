#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// What ``TcpStream``'s callers and its writer thread share, guarded by a ``ConditionLock``.
struct TcpWriterState: Sendable {
    /// Records accepted and not yet taken by the writer.
    var queue: RingBuffer<[UInt8]>
    /// The record the writer is sending; it stays here until the peer's kernel took all of
    /// it, across reconnects.
    var inFlight: [UInt8]?
    /// `close` has begun: writes are refused.
    var closed = false
    /// The writer thread must exit.
    var stopping = false
    /// The writer thread, once the first write started it.
    var thread: pthread_t?
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
    let lock: ConditionLock<TcpWriterState>
    let handler = Mutex<(@Sendable (StreamError) -> Void)?>(nil)
    /// A socket pair: `close` writes a byte to `wakeSender` so that a `poll` of
    /// `wakeReceiver` (waiting for a connect or for room in the send buffer) returns.
    private let wakeReceiver: Int32
    private let wakeSender: Int32

    init(
        name: String, addresses: [SocketAddress], queueCapacity: Int,
        backoff: TcpStream.ReconnectBackoff, connectTimeout: Duration
    ) throws(StreamError) {
        var pair: [Int32] = [-1, -1]
        let type = Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue | SOCK_NONBLOCK.rawValue)
        guard socketpair(AF_UNIX, type, 0, &pair) == 0 else {
            let code = errno
            throw StreamError(.openFailed, "\(name): cannot create a wake-up socket pair: \(systemErrorMessage(code))", errno: code)
        }
        self.wakeReceiver = pair[0]
        self.wakeSender = pair[1]
        self.name = name
        self.addresses = addresses
        self.backoff = backoff
        self.connectTimeout = connectTimeout
        self.lock = ConditionLock(TcpWriterState(queue: RingBuffer(capacity: queueCapacity)))
    }

    deinit {
        _ = Glibc.close(wakeReceiver)
        _ = Glibc.close(wakeSender)
    }

    /// Starts the writer thread. Call with the lock held (from inside `lock.withLock`).
    func startThread() throws(StreamError) -> pthread_t {
        let context = Unmanaged.passRetained(self).toOpaque()
        var thread = pthread_t()
        let rc = pthread_create(&thread, nil, { raw in
            let writer = Unmanaged<TcpWriter>.fromOpaque(raw!).takeRetainedValue()
            writer.run()
            return nil
        }, context)
        guard rc == 0 else {
            Unmanaged<TcpWriter>.fromOpaque(context).release()
            throw StreamError(.openFailed, "\(name): cannot start the writer thread: \(systemErrorMessage(rc))", errno: rc)
        }
        return thread
    }

    /// Makes every `poll` of the writer return at once, for good.
    func wake() {
        var byte: UInt8 = 1
        _ = Glibc.send(wakeSender, &byte, 1, Int32(MSG_NOSIGNAL | MSG_DONTWAIT))
    }

    // MARK: - The writer thread

    /// The writer thread: takes records from the queue and sends them, connecting and
    /// reconnecting as needed, until `stopping` is set.
    private func run() {
        var fd: Int32 = -1
        defer { if fd >= 0 { _ = Glibc.close(fd) } }
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
                _ = Glibc.close(fd)
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
                    _ = Glibc.close(fd)
                    fd = -1
                    failure = StreamError(
                        .connectionLost, "\(name): connection lost while sending: \(systemErrorMessage(code))", errno: code)
                }
            }
            guard let failure else { continue }
            if !outageReported {
                outageReported = true
                handler.withLock { $0 }?(failure)
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
            let received = scratch.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if received > 0 { continue }
            if received == 0 { return 0 }
            let code = errno
            if code == EINTR { continue }
            if code == EAGAIN || code == EWOULDBLOCK { return nil }
            return code
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
            let fd = socket(
                address.family, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue | SOCK_NONBLOCK.rawValue), 0)
            guard fd >= 0 else {
                lastCode = errno
                reasons.append("\(address): \(systemErrorMessage(lastCode))")
                continue
            }
            var code: Int32 = address.withSockAddr { Glibc.connect(fd, $0, $1) } == 0 ? 0 : errno
            if code == EINPROGRESS || code == EINTR {
                switch waitUntilWritable(fd, deadline: .after(connectTimeout)) {
                case .stopped:
                    _ = Glibc.close(fd)
                    return .stopped
                case .timedOut:
                    code = ETIMEDOUT
                case .ready:
                    var socketError: Int32 = 0
                    var length = socklen_t(MemoryLayout<Int32>.size)
                    code = getsockopt(fd, SOL_SOCKET, SO_ERROR, &socketError, &length) == 0 ? socketError : errno
                }
            }
            if code == 0 { return .connected(fd) }
            _ = Glibc.close(fd)
            lastCode = code
            reasons.append("\(address): \(systemErrorMessage(code))")
        }
        return .failed(
            StreamError(.connectFailed, "\(name): cannot connect: \(reasons.joined(separator: "; "))", errno: lastCode))
    }

    private enum SendOutcome {
        case sent
        case failed(Int32)
        case stopped
    }

    /// Sends the whole record with `MSG_NOSIGNAL` (a closed peer gives `EPIPE`, never
    /// `SIGPIPE`), looping on partial sends and waiting in `poll` while the send buffer is full.
    private func sendAll(_ record: [UInt8], fd: Int32) -> SendOutcome {
        record.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let sent = Glibc.send(
                    fd, bytes.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL | MSG_DONTWAIT))
                if sent > 0 {
                    offset += sent
                    continue
                }
                let code = sent == 0 ? EPIPE : errno
                if code == EINTR { continue }
                if code == EAGAIN || code == EWOULDBLOCK {
                    if case .stopped = waitUntilWritable(fd, deadline: nil) { return .stopped }
                    continue
                }
                return .failed(code)
            }
            return .sent
        }
    }

    private enum WaitOutcome {
        case ready, timedOut, stopped
    }

    /// Polls `fd` for writability together with the wake-up socket.
    private func waitUntilWritable(_ fd: Int32, deadline: MonotonicInstant?) -> WaitOutcome {
        var fds = [
            pollfd(fd: fd, events: Int16(POLLOUT), revents: 0),
            pollfd(fd: wakeReceiver, events: Int16(POLLIN), revents: 0),
        ]
        while true {
            let rc = poll(&fds, nfds_t(fds.count), deadline?.millisecondsFromNow ?? -1)
            if rc < 0 {
                if errno == EINTR { continue }
                return .ready  // let the next call on `fd` report the problem
            }
            if fds[1].revents != 0 { return .stopped }
            if rc == 0 { return .timedOut }
            return .ready
        }
    }
}
