#if canImport(Glibc)
import Glibc
#endif
import SystemPackage

/// How far ``writeAll(fd:_:)-(_,UnsafeRawBufferPointer)`` got.
public struct WriteProgress: Sendable, Equatable {
    /// Bytes written before the end or the failure.
    public var written: Int
    /// The `errno` of the call that failed, or `nil` when every byte was written.
    public var errno: Int32?
}

/// Writes all of `bytes` to `fd` with POSIX `write`, looping on partial writes (and on
/// `EINTR`, through ``syscall(_:)``); should the descriptor be non-blocking, it waits in
/// `poll` on `EAGAIN`. Returns `nil` on success or the `errno` of the failed call.
///
/// `SIGPIPE` is blocked for the calling thread while it writes (``withSIGPIPEBlocked(_:)``):
/// a pipe whose reader has gone gives `EPIPE`, it never kills the process, and the process's
/// signal dispositions are left as they are.
public func writeAll(fd: Int32, _ bytes: [UInt8]) -> Int32? {
    bytes.withUnsafeBytes { writeAll(fd: fd, $0).errno }
}

/// Writes all of `bytes` to `fd` as ``writeAll(fd:_:)-(_,[UInt8])`` does, and says how many
/// bytes were written before a failure.
public func writeAll(fd: Int32, _ bytes: UnsafeRawBufferPointer) -> WriteProgress {
    withSIGPIPEBlocked { writeAllUnguarded(fd: fd, bytes) }
}

/// The loop of ``writeAll(fd:_:)-(_,UnsafeRawBufferPointer)``, without touching the signal
/// mask: the caller has blocked `SIGPIPE`.
private func writeAllUnguarded(fd: Int32, _ bytes: UnsafeRawBufferPointer) -> WriteProgress {
    guard let start = bytes.baseAddress else { return WriteProgress(written: 0) }
    var written = 0
    while written < bytes.count {
        let count: Int
        do throws(Errno) {
            count = try syscall { write(fd, start + written, bytes.count - written) }
        } catch {
            guard error.isWouldBlock else { return WriteProgress(written: written, errno: error.rawValue) }
            _ = waitForEvents([(fd, PollEvents.writable)], deadline: nil)
            continue
        }
        if count == 0 { return WriteProgress(written: written, errno: EIO) }
        written += count
    }
    return WriteProgress(written: written)
}
