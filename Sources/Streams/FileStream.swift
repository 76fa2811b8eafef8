#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Appends each record to a file.
///
/// The file is opened once, by ``init(path:)``, with
/// `O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC` and mode `0644` (before the umask), so an
/// existing file is appended to, never truncated. Each record is written whole with POSIX
/// `write` while a lock is held (looping on partial writes and `EINTR`), so records from
/// several threads never interleave in the file.
///
/// Nothing is buffered in the process: once ``write(_:)`` returns, the record is in the
/// kernel and other readers of the file see it. The stream never calls `fsync` or
/// `fdatasync` — not per record, and not in ``flush(timeout:)`` either — so a record may still
/// be lost if the *machine* crashes before the kernel writes it back; a crash of the process
/// loses nothing.
///
/// If a write fails part way (the disk filling up in the middle of a record) the bytes
/// already written stay in the file; a Heka reader resynchronises on the next record
/// separator.
public final class FileStream: HekaStream {
    private struct State: Sendable {
        var fd: Int32
        var statistics = StreamStatistics()
    }

    /// The path the file was opened with.
    public let path: String
    private let state: ConditionLock<State>
    private let handler = Mutex<(@Sendable (StreamError) -> Void)?>(nil)

    /// Opens (creating it if needed) the file at `path` for appending.
    ///
    /// - Parameter path: The file to append to. Created with mode `0644` if missing; its
    ///   directory must exist.
    /// - Throws: ``StreamError/Code/openFailed`` naming the path and the system's reason
    ///   (a directory, a missing parent directory, no permission, …).
    public init(path: String) throws(StreamError) {
        var fd: Int32
        repeat {
            fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        } while fd < 0 && errno == EINTR
        guard fd >= 0 else {
            let code = errno
            throw StreamError(
                .openFailed, "file:\(path): cannot open '\(path)': \(systemErrorMessage(code))", errno: code)
        }
        self.path = path
        self.state = ConditionLock(State(fd: fd))
    }

    deinit {
        state.withLock { state in
            if state.fd >= 0 { _ = Glibc.close(state.fd) }
        }
    }

    /// `file:` followed by the path, e.g. `file:/var/log/app.heka`.
    public var description: String { "file:\(path)" }

    /// Appends the record whole, under the stream's lock.
    ///
    /// Throws ``StreamError/Code/writeFailed`` (counted in
    /// ``StreamStatistics/recordsFailed``) when `write` fails, for instance `ENOSPC` when the
    /// disk is full, and ``StreamError/Code/closed`` after ``close(timeout:)``.
    public func write(_ record: [UInt8]) throws(StreamError) {
        try state.withLock { (state) throws(StreamError) -> Void in
            guard state.fd >= 0 else {
                throw StreamError(.closed, "\(description): write after close")
            }
            if let code = writeAll(fd: state.fd, record) {
                state.statistics.recordsFailed += 1
                throw StreamError(
                    .writeFailed,
                    "\(description): cannot write a record of \(record.count) bytes: \(systemErrorMessage(code))",
                    errno: code)
            }
            state.statistics.recordsWritten += 1
            state.statistics.bytesWritten += record.count
        }
    }

    /// Returns once any write running on another thread has finished. It does not call
    /// `fsync`/`fdatasync` (see the type's documentation) and never throws: every accepted
    /// record is already in the kernel. `timeout` is unused.
    public func flush(timeout: Duration) throws(StreamError) {
        state.withLock { _ in }
    }

    /// Closes the file. Later writes fail with ``StreamError/Code/closed``; closing twice is
    /// harmless. `timeout` is unused: nothing is pending.
    public func close(timeout: Duration) throws(StreamError) {
        state.withLock { state in
            guard state.fd >= 0 else { return }
            // On Linux the descriptor is released even when close reports EINTR or EIO,
            // so it is never retried.
            _ = Glibc.close(state.fd)
            state.fd = -1
        }
    }

    /// Records and bytes written, and records that failed.
    public var statistics: StreamStatistics {
        state.withLock { $0.statistics }
    }

    /// Stored but never called: every error of this stream is thrown by ``write(_:)``.
    public var errorHandler: (@Sendable (StreamError) -> Void)? {
        get { handler.withLock { $0 } }
        set { handler.withLock { $0 = newValue } }
    }
}
