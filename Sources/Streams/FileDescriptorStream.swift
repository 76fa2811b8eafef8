import HekaPlatform
import SystemPackage

/// Standard output: a ``FileDescriptorStream`` on descriptor 1 (heka-py's `StdOutStream`).
public typealias StdOutStream = FileDescriptorStream

/// A file opened for appending: a ``FileDescriptorStream`` made with
/// ``FileDescriptorStream/init(path:queueCapacity:errorHandler:)`` (heka-py's `FileStream`).
public typealias FileStream = FileDescriptorStream

/// Writes records to a file descriptor from a background writer thread: standard output,
/// another descriptor of the caller's, or a file the stream opens for appending.
///
/// **Queue.** ``write(_:)`` never waits on I/O: it appends the record to a bounded in-memory
/// queue and returns, so a pipe nobody reads, a FIFO whose reader stalls or a file on a hung
/// disk blocks only the writer thread. When ``queueCapacity`` records are pending (queued,
/// or being written), the record is dropped, counted in ``StreamStatistics/recordsDropped``,
/// and ``StreamError/Code/queueFull`` is thrown. ``statistics`` never waits on I/O either.
///
/// **Writer.** The first write starts the writer thread (a pthread that sleeps on a condition
/// variable while the queue is empty). Woken by a record on an empty queue, it waits up to
/// 1 ms for more (less when 256 records, half the queue, a flush or a close come first), so
/// that a busy caller wakes it once per batch rather than once per record. It takes the
/// queued records, up to 256 KiB at a time, and writes them with one `write`, looping on partial writes and `EINTR`, so records keep
/// their order and are never interleaved with each other. A failed write (`ENOSPC` when the
/// disk is full, `EPIPE` when the pipe's reader has gone) fails the records not yet written
/// whole: they are counted in ``StreamStatistics/recordsFailed`` and reported to the stream's
/// ``StreamErrorHandler`` as ``StreamError/Code/writeFailed`` — once per outage, nothing more
/// until a write succeeds — and the writer goes on with the next records. The bytes of a
/// record cut by the failure stay; a Heka reader resynchronises on the next record separator.
/// The writer blocks `SIGPIPE` for its own thread: a broken pipe never kills the process,
/// and the process's signal dispositions are left alone.
///
/// **Flush and close.** ``flush(timeout:)`` waits until every accepted record has been handed
/// to the kernel, and says whether records failed since the previous flush.
/// ``close(timeout:)`` refuses new writes, flushes with the deadline, then stops the thread;
/// records still queued are dropped and counted. A writer still blocked in `write` at the
/// deadline is left to finish that write on its own (it then closes an owned file and exits).
///
/// **Two ways to make one.**
/// - ``init(fileDescriptor:queueCapacity:errorHandler:)`` writes to a descriptor the stream
///   does not own (standard output by default): closing the stream leaves it open.
/// - ``init(path:queueCapacity:errorHandler:)`` opens (creating it if needed) a file with
///   `O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC` and mode `0644` before the umask, so an
///   existing file is appended to, never truncated. Opening never blocks: a FIFO with no
///   reader fails at once. Before each write the writer checks that the path still names the
///   open file (one `stat`, as Python's `WatchedFileHandler` does) and reopens it when it
///   does not — after log rotation renamed it away and created a new one, or after it was
///   removed; ``reopen()`` asks for a reopen explicitly.
///
/// The stream never calls `fsync`: a record may still be lost if the *machine* crashes before
/// the kernel writes it back. When the process exits normally (`exit`, or returning from
/// `main`) without closing the stream, an exit handler gives the running writers up to 2 s
/// in all to write what they hold; a process killed by a signal or ended with `_exit` loses
/// what was still queued. Close the stream (or the client) to be sure.
public final class FileDescriptorStream: HekaStream {
    /// The path of the file the stream opened, or `nil` for a descriptor it was given.
    public let path: String?
    /// `stdout` for descriptor 1, `fd:N` for another descriptor, `file:` and the path for a
    /// file the stream opened (`file:/var/log/app.heka`).
    public let description: String
    /// The most records pending (queued or being written) at once.
    public let queueCapacity: Int
    let writer: DescriptorWriter

    /// A stream writing to `fileDescriptor`, which it does not own: it never closes it.
    ///
    /// - Parameters:
    ///   - fileDescriptor: The descriptor to write to. Defaults to `1`, standard output.
    ///   - queueCapacity: The most records pending at once; defaults to `10_000`; values
    ///     below 1 count as 1.
    ///   - errorHandler: Receives, on the writer thread, the first failed write of each
    ///     outage; and, on the thread that releases the stream unclosed, the records that
    ///     dropped. Default: a line on standard error, at most one a second.
    public init(
        fileDescriptor: Int32 = 1, queueCapacity: Int = 10_000, errorHandler: StreamErrorHandler = .standardError()
    ) {
        let name = fileDescriptor == 1 ? "stdout" : "fd:\(fileDescriptor)"
        self.path = nil
        self.description = name
        self.queueCapacity = max(1, queueCapacity)
        self.writer = DescriptorWriter(
            name: name, path: nil, fd: fileDescriptor, queueCapacity: self.queueCapacity, errorHandler: errorHandler)
    }

    /// A stream appending to the file at `path`, opened (and created with mode `0644` if
    /// missing) now, without blocking; its directory must exist.
    ///
    /// - Parameters:
    ///   - path: The file to append to.
    ///   - queueCapacity: The most records pending at once; defaults to `10_000`; values
    ///     below 1 count as 1.
    ///   - errorHandler: Receives failed writes and reopens, once per outage; see
    ///     ``init(fileDescriptor:queueCapacity:errorHandler:)``.
    /// - Throws: ``StreamError/Code/openFailed`` naming the path and the system's reason
    ///   (a directory, a missing parent directory, no permission, a FIFO nobody reads, …).
    public init(
        path: String, queueCapacity: Int = 10_000, errorHandler: StreamErrorHandler = .standardError()
    ) throws(StreamError) {
        let name = "file:\(path)"
        let fd: Int32
        do throws(Errno) {
            fd = try openForAppending(path)
        } catch {
            let reason = error == .noSuchAddressOrDevice ? "it is a FIFO that no process has open for reading" : error.description
            throw StreamError(.openFailed, "\(name): cannot open '\(path)': \(reason)", errno: error.rawValue)
        }
        self.path = path
        self.description = name
        self.queueCapacity = max(1, queueCapacity)
        self.writer = DescriptorWriter(
            name: name, path: path, fd: fd, queueCapacity: self.queueCapacity, errorHandler: errorHandler)
    }

    /// Stops the writer thread without waiting: records still queued are dropped, counted and
    /// reported to the error handler. Call ``close(timeout:)`` first to deliver them.
    deinit {
        let outcome = shutDown(timeout: .zero)
        if outcome.dropped > 0 {
            writer.report(StreamError(
                .timedOut, "\(description): released before close; \(outcome.dropped) records still pending were dropped"))
        }
    }

    /// The descriptor records are written to: the one given, or the file's (a new one after a
    /// reopen); -1 once the stream closed the file it opened.
    public var fileDescriptor: Int32 { writer.lock.withLock { $0.fd } }

    /// Queues the record for the writer thread, starting the thread on the first call.
    ///
    /// - Throws: ``StreamError/Code/queueFull`` when ``queueCapacity`` records are pending
    ///   (the record is dropped and counted in ``StreamStatistics/recordsDropped``);
    ///   ``StreamError/Code/closed`` once ``close(timeout:)`` has begun;
    ///   ``StreamError/Code/openFailed`` if the writer thread cannot be started.
    public func write(_ record: [UInt8]) throws(StreamError) {
        let (wake, started) = try writer.lock.withLock { (state) throws(StreamError) -> (Bool, Bool) in
            guard !state.closed else {
                throw StreamError(.closed, "\(description): write after close")
            }
            guard state.pending < queueCapacity else {
                state.statistics.recordsDropped += 1
                throw StreamError(
                    .queueFull,
                    "\(description): queue full (\(queueCapacity) records pending); record of \(record.count) bytes dropped")
            }
            let starting = state.thread == nil
            if starting {
                state.thread = try writer.startThread()
                state.threadRunning = true
            }
            state.queue.append(record)
            // The writer sleeps on an empty queue, and gathers until this many are queued.
            return (state.queue.count == 1 || state.queue.count == writer.gatherRecords, starting)
        }
        // Before this call returns, so that a program that writes and exits is flushed.
        if started { ExitFlush.add(writer) }
        if wake { writer.lock.broadcast() }
    }

    /// Waits until every record accepted so far has been handed to the kernel.
    ///
    /// - Throws: ``StreamError/Code/timedOut``, saying how many records are pending, if that
    ///   has not happened within `timeout`; ``StreamError/Code/writeFailed``, with the last
    ///   failure's reason, if records failed since the previous flush (each failure is told
    ///   to one flush only). Called on the writer thread (from the error handler), it does
    ///   not wait.
    public func flush(timeout: Duration) throws(StreamError) {
        // From the writer thread (an error handler flushing) nothing can be waited for.
        let onWriter = writer.lock.withLock { state in
            state.flushWaiters += 1
            return state.thread?.isCurrent ?? false
        }
        writer.lock.broadcast()
        defer { writer.lock.withLock { $0.flushWaiters -= 1 } }
        let (pending, failed, last) = writer.lock.withLock(
            waitingUntil: { $0.pending == 0 }, deadline: .after(onWriter ? .zero : timeout)
        ) { state, _ in
            defer { if state.pending == 0 { state.failedSinceFlush = 0 } }
            return (state.pending, state.failedSinceFlush, state.lastFailure)
        }
        guard pending == 0 else {
            throw StreamError(.timedOut, "\(description): flush timed out after \(timeout.millisecondsText) with \(pending) records pending")
        }
        if failed > 0, let last {
            throw failedSinceFlush(failed, last: last)
        }
    }

    /// Refuses new writes, waits up to `timeout` for pending records to be written, then stops
    /// the writer thread and closes the file the stream opened (a descriptor it was given
    /// stays open). Closing twice is harmless.
    ///
    /// - Throws: ``StreamError/Code/timedOut`` if records were still pending at the deadline
    ///   (those queued are dropped and counted in ``StreamStatistics/recordsDropped``; a
    ///   write in progress finishes on its own); else ``StreamError/Code/writeFailed`` if
    ///   records failed since the last flush.
    public func close(timeout: Duration) throws(StreamError) {
        let outcome = shutDown(timeout: timeout)
        guard outcome.dropped == 0 && outcome.writing == 0 else {
            throw StreamError(
                .timedOut,
                "\(description): close timed out after \(timeout.millisecondsText); \(outcome.dropped) records still queued were dropped, \(outcome.writing) still being written")
        }
        if outcome.failed > 0, let last = outcome.lastFailure {
            throw failedSinceFlush(outcome.failed, last: last)
        }
    }

    /// The error saying that `count` records failed since the last flush, `last` the latest
    /// failure.
    private func failedSinceFlush(_ count: Int, last: StreamError) -> StreamError {
        let reason = last.errno.map(systemErrorMessage) ?? last.message
        return StreamError(
            .writeFailed,
            "\(description): \(count) record\(count == 1 ? "" : "s") since the last flush could not be written (\(reason))",
            errno: last.errno)
    }

    /// Asks the stream to close its file and open the path again before its next write: for
    /// a `SIGHUP` handler after log rotation (the stream also notices a rotation by itself).
    /// Only sets an atomic flag, so it is safe to call from a signal handler. Does nothing
    /// for a descriptor the stream was given.
    public func reopen() {
        writer.reopenRequested.store(true, ordering: .relaxed)
    }

    /// Records written, failed, dropped and pending, reopens, errors reported, and the
    /// handler's refused recursions. Never waits on I/O.
    public var statistics: StreamStatistics {
        writer.lock.withLock { state in
            var statistics = state.statistics
            statistics.recordsQueued = state.pending
            statistics.errorHandlerRecursions = writer.suppressedReports
            return statistics
        }
    }
}
