#if canImport(Glibc)
import Glibc
#endif
import SystemPackage

// The package's policy for system calls, in one place (as NIOPosix's System.swift does):
// - a call interrupted by a signal (`EINTR`) is made again, always;
// - any other failure is returned as an `Errno` for the caller to decide on (`EAGAIN` on a
//   non-blocking descriptor included: waiting for it is the caller's business);
// - `close` is never made again: on Linux the descriptor is released even when it reports
//   `EINTR` or `EIO`, and a second `close` could close a descriptor another thread opened;
// - nothing here changes the process's signal dispositions; sends use `MSG_NOSIGNAL`.

/// Makes the system call `call` until it is not interrupted by a signal, and returns its
/// result. A negative result (the call's `-1`) becomes the thrown `errno`.
@inline(__always)
public func syscall<Result: FixedWidthInteger>(_ call: () -> Result) throws(Errno) -> Result {
    while true {
        let result = call()
        if result >= 0 { return result }
        let code = errno
        if code != EINTR { throw Errno(rawValue: code) }
    }
}

/// Closes `descriptor` once (see the policy above); a failure is ignored, since the
/// descriptor is gone either way.
@inline(__always)
public func closeDescriptor(_ descriptor: Int32) {
    _ = Glibc.close(descriptor)
}

/// The text the C library gives for `code`, e.g. "No space left on device".
public func systemErrorMessage(_ code: Int32) -> String {
    Errno(rawValue: code).description
}

extension Errno {
    /// Whether the call would have blocked a non-blocking descriptor (`EAGAIN`,
    /// `EWOULDBLOCK`).
    @inline(__always)
    public var isWouldBlock: Bool { rawValue == Glibc.EAGAIN || rawValue == Glibc.EWOULDBLOCK }
}
