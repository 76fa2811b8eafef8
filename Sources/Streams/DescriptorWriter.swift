import DequeModule
import HekaPlatform
import Synchronization
import SystemPackage

/// What ``FileDescriptorStream``'s callers and its writer thread share, guarded by a
/// ``ConditionLock``.
struct DescriptorWriterState: Sendable {
    /// Records accepted and not yet taken by the writer.
    var queue = Deque<[UInt8]>()
    /// Records the writer has taken and is writing.
    var inFlight = 0
    /// `close` has begun: writes are refused.
    var closed = false
    /// The writer thread must exit.
    var stopping = false
    /// The writer thread, once the first write started it.
    var thread: PlatformThread?
    /// Whether the writer thread has started and not yet returned.
    var threadRunning = false
    /// The descriptor written to (a reopened file's new one), -1 once an owned file is closed.
    var fd: Int32
    /// Threads waiting in `flush`: the writer writes at once rather than gather more.
    var flushWaiters = 0
    /// Records that failed since the last flush, and the last failure, for `flush`.
    var failedSinceFlush = 0
    var lastFailure: StreamError?
    /// Counters; `recordsQueued` is computed from ``pending`` when read.
    var statistics = StreamStatistics()

    /// Records accepted and not yet handed to the kernel.
    var pending: Int { queue.count + inFlight }
}

/// The engine behind ``FileDescriptorStream``: the shared state and the body of the writer
/// thread. The thread holds a strong reference to this object (not to the stream), so
/// dropping the last reference to the stream still runs its `deinit`, which stops the thread.
final class DescriptorWriter: Sendable {
    /// The most bytes the writer gathers into one `write` (it takes at least one record).
    static let batchBytes = 256 * 1024
    /// How long the writer, woken by a record on an empty queue, waits for more before it
    /// writes, unless ``gatherRecords`` arrive, a flush waits, or the stream closes.
    static let gatherTime = Duration.milliseconds(1)

    /// The queue length at which a caller wakes a gathering writer at once.
    let gatherRecords: Int

    let name: String
    /// The file the stream opened and may reopen; `nil` for a descriptor it was given.
    let path: String?
    let lock: ConditionLock<DescriptorWriterState>
    private let errorHandler: StreamErrorHandler
    /// Set by ``FileDescriptorStream/reopen()`` (from a signal handler too: an atomic store),
    /// taken by the writer before its next write.
    let reopenRequested = Atomic<Bool>(false)

    init(name: String, path: String?, fd: Int32, queueCapacity: Int, errorHandler: StreamErrorHandler) {
        self.gatherRecords = max(1, min(256, queueCapacity / 2))
        self.name = name
        self.path = path
        self.lock = ConditionLock(DescriptorWriterState(fd: fd))
        self.errorHandler = errorHandler
        ForkHandlers.register(self)
    }

    /// Starts the writer thread. Call with the lock held (from inside `lock.withLock`), and
    /// once the lock is released, ``ExitFlush/add(_:)`` the writer: not under the lock, as
    /// the exit list's lock is taken before a fork in another order than this one.
    func startThread() throws(StreamError) -> PlatformThread {
        do throws(Errno) {
            return try PlatformThread.spawn(name: "heka-fd-writer") { [self] in run() }
        } catch {
            throw StreamError(.openFailed, error, stream: name, doing: "cannot start the writer thread")
        }
    }

    /// Counts `error` and hands it to the error handler.
    func report(_ error: StreamError) {
        lock.withLock { $0.statistics.errorsReported += 1 }
        errorHandler(error)
    }

    /// Failures the error handler did not receive because it was already running on the
    /// thread that found them.
    var suppressedReports: Int { errorHandler.suppressedCalls }

    // MARK: - The writer thread

    /// Takes batches of records from the queue and writes each batch with one `write`, until
    /// `stopping` is set; then closes an owned file.
    private func run() {
        blockSIGPIPEOnThisThread()
        defer { ExitFlush.remove(self) }
        var watched = path.flatMap { _ in lock.withLock { FileIdentity(descriptor: $0.fd) } }
        var buffer: [UInt8] = []
        var sizes: [Int] = []
        var outage = false
        var reopenFailing = false
        while true {
            let woken = lock.withLock(waitingUntil: { $0.stopping || !$0.queue.isEmpty }, deadline: nil) { state, _ in
                state.queue.count < gatherRecords && !state.stopping
            }
            // Woken by a record on an empty queue: gather more for a moment, so that a busy
            // caller wakes the writer once per batch rather than once per record.
            let fd = lock.withLock(
                waitingUntil: { !woken || $0.stopping || $0.closed || $0.flushWaiters > 0 || $0.queue.count >= gatherRecords },
                deadline: woken ? .after(Self.gatherTime) : nil
            ) { state, _ -> Int32? in
                if state.stopping { return nil }
                buffer.removeAll(keepingCapacity: true)
                sizes.removeAll(keepingCapacity: true)
                while let record = state.queue.first, sizes.isEmpty || buffer.count + record.count <= Self.batchBytes {
                    buffer += record
                    sizes.append(record.count)
                    state.queue.removeFirst()
                }
                state.inFlight = sizes.count
                return state.fd
            }
            guard var fd else { break }
            if path != nil { fd = followPath(fd: fd, watched: &watched, failing: &reopenFailing) }
            let progress = buffer.withUnsafeBytes { writeAll(fd: fd, $0) }
            let failure = account(progress, sizes: sizes, bytes: buffer.count)
            // Reported before the batch stops counting as pending: a flush returns after it.
            if let failure, !outage { report(failure) }
            outage = failure != nil
            lock.withLock { $0.inFlight = 0 }
            lock.broadcast()
        }
        lock.withLock { state in
            if path != nil && state.fd >= 0 {
                closeDescriptor(state.fd)
                state.fd = -1
            }
            state.threadRunning = false
        }
        lock.broadcast()
    }

    /// Counts the records of a batch written whole before `progress` stopped as written and
    /// the others as failed; returns the failure to report, if there was one. The batch still
    /// counts as pending.
    private func account(_ progress: WriteProgress, sizes: [Int], bytes: Int) -> StreamError? {
        var written = 0
        var writtenBytes = 0
        for size in sizes {
            if writtenBytes + size > progress.written { break }
            writtenBytes += size
            written += 1
        }
        let failed = sizes.count - written
        let failure = progress.errno.map { code in
            StreamError(
                .writeFailed, Errno(rawValue: code), stream: name,
                doing: "cannot write \(failed) record\(failed == 1 ? "" : "s") (\(bytes - progress.written) bytes)")
        }
        lock.withLock { state in
            state.statistics.recordsWritten += written
            state.statistics.bytesWritten += writtenBytes
            state.statistics.recordsFailed += failed
            if let failure {
                state.failedSinceFlush += failed
                state.lastFailure = failure
            }
        }
        return failure
    }

    /// Before a write to the file at `path`: reopens it when asked to (``reopenRequested``),
    /// or when the path no longer names the file open as `fd` (renamed away and perhaps
    /// replaced, or removed), as Python's `WatchedFileHandler` does: one `stat` of the path
    /// compared by device and inode with the open file's. Returns the descriptor to write to:
    /// the new one, or `fd` when nothing changed or the reopen failed (reported once while it
    /// keeps failing: `failing`).
    private func followPath(fd: Int32, watched: inout FileIdentity?, failing: inout Bool) -> Int32 {
        guard let path else { return fd }
        let asked = reopenRequested.exchange(false, ordering: .relaxed)
        if !asked, let current = FileIdentity(path: path), current == watched { return fd }
        let opened: Int32
        do throws(Errno) {
            opened = try openForAppending(path)
        } catch {
            // Reported once until a reopen succeeds; tried again before each write.
            if !failing { report(StreamError(.openFailed, error, stream: name, doing: "cannot reopen '\(path)'; still writing to the file open before")) }
            failing = true
            return fd
        }
        watched = FileIdentity(descriptor: opened)
        failing = false
        lock.withLock { state in
            state.fd = opened
            state.statistics.reopens += 1
        }
        closeDescriptor(fd)
        return opened
    }
}
