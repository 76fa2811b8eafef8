#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Writes each record to standard output (or another file descriptor) with POSIX `write`.
///
/// Every record is written whole while a lock is held, looping on partial writes and
/// `EINTR`, so records written from several threads at once never interleave: the output
/// is the records one after the other, in some order. Nothing is buffered in the process, so
/// ``flush(timeout:)`` has nothing to do.
///
/// The stream never closes its file descriptor: standard output belongs to the process, and
/// a descriptor passed to ``init(fileDescriptor:)`` belongs to the caller. ``close(timeout:)``
/// only makes later writes fail with ``StreamError/Code/closed``.
public final class StdOutStream: HekaStream {
    private struct State: Sendable {
        var closed = false
        var statistics = StreamStatistics()
    }

    /// The file descriptor records are written to.
    public let fileDescriptor: Int32
    private let state = ConditionLock(State())
    private let handler = Mutex<(@Sendable (StreamError) -> Void)?>(nil)

    /// Creates a stream writing to `fileDescriptor`.
    ///
    /// - Parameter fileDescriptor: The descriptor to write to. Defaults to `1`, standard
    ///   output. The stream does not take ownership: it never closes the descriptor.
    public init(fileDescriptor: Int32 = 1) {
        self.fileDescriptor = fileDescriptor
    }

    /// `stdout` for descriptor 1, `fd:N` for any other descriptor.
    public var description: String {
        fileDescriptor == 1 ? "stdout" : "fd:\(fileDescriptor)"
    }

    /// Writes the record whole, under the stream's lock.
    ///
    /// Throws ``StreamError/Code/writeFailed`` (counted in
    /// ``StreamStatistics/recordsFailed``) when `write` fails, and ``StreamError/Code/closed``
    /// after ``close(timeout:)``. Like any program writing to a pipe whose reader has gone,
    /// the process receives `SIGPIPE` unless it ignores that signal (then the write fails
    /// with `EPIPE`); the stream does not change the process's signal dispositions.
    public func write(_ record: [UInt8]) throws(StreamError) {
        try state.withLock { (state) throws(StreamError) -> Void in
            guard !state.closed else {
                throw StreamError(.closed, "\(description): write after close")
            }
            if let code = writeAll(fd: fileDescriptor, record) {
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

    /// Returns once any write running on another thread has finished. Records are never
    /// buffered in the process, so there is nothing else to wait for and it never throws;
    /// `timeout` is unused (a write blocked on a full pipe can make it wait longer).
    public func flush(timeout: Duration) throws(StreamError) {
        state.withLock { _ in }
    }

    /// Makes later writes fail with ``StreamError/Code/closed``. The file descriptor is left
    /// open (see the type's documentation). Closing twice is harmless.
    public func close(timeout: Duration) throws(StreamError) {
        state.withLock { $0.closed = true }
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
