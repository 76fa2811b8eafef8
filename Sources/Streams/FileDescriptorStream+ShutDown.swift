import HekaPlatform

extension FileDescriptorStream {
    /// What ``shutDown(timeout:)`` left behind.
    struct ShutDownOutcome {
        /// Records still queued at the deadline, dropped.
        var dropped = 0
        /// Records a writer blocked in `write` was still writing at the deadline.
        var writing = 0
        /// Records that failed since the last flush, and the last failure.
        var failed = 0
        var lastFailure: StreamError?
    }

    /// Refuses new writes, waits until `timeout` for pending records and then for the writer
    /// thread to stop, drops what is still queued, and closes an owned file the writer is not
    /// using. Nothing is left to do when already closed.
    func shutDown(timeout: Duration) -> ShutDownOutcome {
        let deadline = MonotonicInstant.after(timeout)
        let (alreadyClosed, thread) = writer.lock.withLock { state in
            defer { state.closed = true }
            return (state.closed, state.thread)
        }
        if alreadyClosed { return ShutDownOutcome() }
        writer.lock.broadcast()  // a writer gathering records writes them at once
        // From the writer thread itself (an error handler calling close) nothing can be
        // waited for: the thread is here.
        let onWriter = thread?.isCurrent ?? false
        if !onWriter {
            writer.lock.withLock(waitingUntil: { $0.pending == 0 }, deadline: deadline) { _, _ in }
        }
        writer.lock.withLock { $0.stopping = true }
        writer.lock.broadcast()
        let stopped = onWriter ? false : writer.lock.withLock(
            waitingUntil: { !$0.threadRunning }, deadline: deadline) { _, satisfied in satisfied }
        if let thread {
            // A writer blocked in `write` past the deadline finishes on its own.
            if stopped { thread.join() } else { thread.detach() }
        }
        let outcome = writer.lock.withLock { state in
            var outcome = ShutDownOutcome(dropped: state.queue.count, writing: stopped ? 0 : state.inFlight)
            state.queue.removeAll()
            state.statistics.recordsDropped += outcome.dropped
            if thread == nil && path != nil && state.fd >= 0 {
                closeDescriptor(state.fd)
                state.fd = -1
            }
            outcome.failed = state.failedSinceFlush
            outcome.lastFailure = state.lastFailure
            state.failedSinceFlush = 0
            return outcome
        }
        writer.lock.broadcast()
        return outcome
    }
}
