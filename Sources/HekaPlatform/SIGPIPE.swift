#if canImport(Glibc)
import Glibc
#endif

// A write to a pipe or socket whose reader has gone raises SIGPIPE, whose default action
// ends the process. A library must neither die of it nor change the process's signal
// dispositions, so every write of the package runs with the signal blocked for the writing
// thread only; a SIGPIPE the write raised is then taken off the thread (it was meant for
// this write, which reports EPIPE instead), and the thread's mask is put back as it was.

/// The set holding `SIGPIPE` alone.
private func sigpipeSet() -> sigset_t {
    var set = sigset_t()
    sigemptyset(&set)
    sigaddset(&set, SIGPIPE)
    return set
}

/// Runs `write` with `SIGPIPE` blocked for the calling thread. If the write failed with
/// `EPIPE` and no `SIGPIPE` was pending before it, the one the write raised is consumed
/// (`sigtimedwait` with a zero timeout), so it is never delivered; a `SIGPIPE` that was
/// pending before (sent by someone else) is left alone. The thread's mask is then restored.
/// The process's signal dispositions are never changed.
public func withSIGPIPEBlocked(_ write: () -> WriteProgress) -> WriteProgress {
    var set = sigpipeSet()
    var previous = sigset_t()
    pthread_sigmask(SIG_BLOCK, &set, &previous)
    var pending = sigset_t()
    sigpending(&pending)
    let wasPending = sigismember(&pending, SIGPIPE) == 1
    let progress = write()
    if progress.errno == EPIPE && !wasPending {
        var zero = timespec(tv_sec: 0, tv_nsec: 0)
        // EAGAIN when nothing is pending (SIGPIPE ignored: the write raised none).
        _ = sigtimedwait(&set, nil, &zero)
    }
    if sigismember(&previous, SIGPIPE) != 1 {
        pthread_sigmask(SIG_SETMASK, &previous, nil)
    }
    return progress
}

/// Blocks `SIGPIPE` for the calling thread for good: for a thread of the package's own (a
/// stream's writer), so that each write skips the mask change. Writes still go through
/// ``withSIGPIPEBlocked(_:)``, which consumes the signal a broken pipe raised.
public func blockSIGPIPEOnThisThread() {
    var set = sigpipeSet()
    pthread_sigmask(SIG_BLOCK, &set, nil)
}

/// Whether a `SIGPIPE` is pending for the calling thread or the process (for tests).
public func isSIGPIPEPending() -> Bool {
    var pending = sigset_t()
    sigpending(&pending)
    return sigismember(&pending, SIGPIPE) == 1
}

/// Whether `code` is `EPIPE`: the write went to a pipe or socket whose reader has gone.
public func isBrokenPipe(_ code: Int32?) -> Bool { code == EPIPE }
