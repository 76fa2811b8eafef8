#if canImport(Glibc)
import Glibc
#endif
import SystemPackage

/// Writes all of `bytes` to `fd` with POSIX `write`, looping on partial writes (and on
/// `EINTR`, through ``syscall(_:)``); should the descriptor be non-blocking, it waits in
/// `poll` on `EAGAIN`. Returns `nil` on success or the `errno` of the failed call.
public func writeAll(fd: Int32, _ bytes: [UInt8]) -> Int32? {
    bytes.withUnsafeBytes { buffer -> Int32? in
        guard var next = buffer.baseAddress else { return nil }
        var remaining = buffer.count
        while remaining > 0 {
            let written: Int
            do throws(Errno) {
                written = try syscall { write(fd, next, remaining) }
            } catch {
                guard error.isWouldBlock else { return error.rawValue }
                _ = waitForEvents([(fd, PollEvents.writable)], deadline: nil)
                continue
            }
            if written == 0 { return EIO }
            next += written
            remaining -= written
        }
        return nil
    }
}
