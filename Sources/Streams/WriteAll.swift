#if canImport(Glibc)
import Glibc
#endif

/// Writes all of `bytes` to `fd` with POSIX `write`, looping on partial writes and `EINTR`
/// (and, should the descriptor be non-blocking, waiting in `poll` on `EAGAIN`).
/// Returns `nil` on success or the `errno` of the failed call.
func writeAll(fd: Int32, _ bytes: [UInt8]) -> Int32? {
    bytes.withUnsafeBytes { buffer -> Int32? in
        guard var next = buffer.baseAddress else { return nil }
        var remaining = buffer.count
        while remaining > 0 {
            let written = write(fd, next, remaining)
            if written < 0 {
                let code = errno
                if code == EINTR { continue }
                if code == EAGAIN || code == EWOULDBLOCK {
                    var entry = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                    _ = poll(&entry, 1, -1)
                    continue
                }
                return code
            }
            if written == 0 { return EIO }
            next += written
            remaining -= written
        }
        return nil
    }
}
