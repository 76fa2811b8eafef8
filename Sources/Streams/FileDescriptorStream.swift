import HekaPlatform
import SystemPackage

/// Standard output: a ``FileDescriptorStream`` on descriptor 1 (heka-py's `StdOutStream`).
public typealias StdOutStream = FileDescriptorStream

/// A file opened for appending: a ``FileDescriptorStream`` made with
/// ``FileDescriptorStream/init(path:)`` (heka-py's `FileStream`).
public typealias FileStream = FileDescriptorStream

/// Writes each record to a file descriptor with POSIX `write`: standard output, another
/// descriptor of the caller's, or a file the stream opens for appending.
///
/// Every record is written whole while a lock is held, looping on partial writes and
/// `EINTR`, so records written from several threads at once never interleave: the output
/// is the records one after the other, in some order. Nothing is buffered in the process:
/// once ``write(_:)`` returns, the record is in the kernel and other readers see it, so
/// ``flush(timeout:)`` has nothing to wait for.
///
/// **Two ways to make one.**
/// - ``init(fileDescriptor:)`` writes to a descriptor the stream does not own (standard
///   output by default): ``close(timeout:)`` only makes later writes fail, the descriptor
///   stays open.
/// - ``init(path:)`` opens (creating it if needed) a file with
///   `O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC` and mode `0644` before the umask, so an
///   existing file is appended to, never truncated; ``close(timeout:)`` closes it.
///
/// The stream never calls `fsync`, so a record may still be lost if the *machine* crashes
/// before the kernel writes it back; a crash of the process loses nothing. If a write fails
/// part way (the disk filling up in the middle of a record) the bytes already written stay;
/// a Heka reader resynchronises on the next record separator. Like any program writing to a
/// pipe whose reader has gone, the process receives `SIGPIPE` unless it ignores that
/// signal (then the write fails with `EPIPE`); the stream does not change the process's
/// signal dispositions.
public final class FileDescriptorStream: HekaStream {
    private struct State: Sendable {
        /// The descriptor, or -1 once closed.
        var fd: Int32
        var statistics = StreamStatistics()
    }

    /// The file descriptor records are written to.
    public let fileDescriptor: Int32
    /// The path of the file the stream opened, or `nil` for a descriptor it was given.
    public let path: String?
    /// `stdout` for descriptor 1, `fd:N` for another descriptor, `file:` and the path for a
    /// file the stream opened (`file:/var/log/app.heka`).
    public let description: String
    private let state: ConditionLock<State>

    /// A stream writing to `fileDescriptor`, which it does not own: it never closes it.
    ///
    /// - Parameter fileDescriptor: The descriptor to write to. Defaults to `1`, standard
    ///   output.
    public init(fileDescriptor: Int32 = 1) {
        self.fileDescriptor = fileDescriptor
        self.path = nil
        self.description = fileDescriptor == 1 ? "stdout" : "fd:\(fileDescriptor)"
        self.state = ConditionLock(State(fd: fileDescriptor))
    }

    /// A stream appending to the file at `path`, opened (and created with mode `0644` if
    /// missing) now; its directory must exist.
    ///
    /// - Throws: ``StreamError/Code/openFailed`` naming the path and the system's reason
    ///   (a directory, a missing parent directory, no permission, …).
    public init(path: String) throws(StreamError) {
        let description = "file:\(path)"
        let opened: FileDescriptor
        do {
            opened = try FileDescriptor.open(
                FilePath(path), .writeOnly, options: [.create, .append, .closeOnExec],
                permissions: [.ownerReadWrite, .groupRead, .otherRead], retryOnInterrupt: true)
        } catch {
            throw StreamError(.openFailed, error as? Errno ?? .ioError, stream: description, doing: "cannot open '\(path)'")
        }
        self.fileDescriptor = opened.rawValue
        self.path = path
        self.description = description
        self.state = ConditionLock(State(fd: opened.rawValue))
    }

    deinit {
        if path != nil {
            state.withLock { state in
                if state.fd >= 0 { closeDescriptor(state.fd) }
            }
        }
    }

    /// Writes the record whole, under the stream's lock.
    ///
    /// Throws ``StreamError/Code/writeFailed`` (counted in
    /// ``StreamStatistics/recordsFailed``) when `write` fails, for instance `ENOSPC` when the
    /// disk is full or `EPIPE`, and ``StreamError/Code/closed`` after ``close(timeout:)``.
    public func write(_ record: [UInt8]) throws(StreamError) {
        try state.withLock { (state) throws(StreamError) -> Void in
            guard state.fd >= 0 else {
                throw StreamError(.closed, "\(description): write after close")
            }
            if let code = writeAll(fd: state.fd, record) {
                state.statistics.recordsFailed += 1
                throw StreamError(
                    .writeFailed, Errno(rawValue: code), stream: description,
                    doing: "cannot write a record of \(record.count) bytes")
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

    /// Makes later writes fail with ``StreamError/Code/closed``, and closes the file the
    /// stream opened (a descriptor it was given stays open). Closing twice is harmless.
    /// `timeout` is unused: nothing is pending.
    public func close(timeout: Duration) throws(StreamError) {
        state.withLock { state in
            guard state.fd >= 0 else { return }
            if path != nil { closeDescriptor(state.fd) }
            state.fd = -1
        }
    }

    /// Records and bytes written, and records that failed.
    public var statistics: StreamStatistics {
        state.withLock { $0.statistics }
    }
}
