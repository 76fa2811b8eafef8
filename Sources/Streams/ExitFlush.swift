import HekaPlatform

/// Flushes every standard-output and file stream when the process exits normally (`exit`,
/// or returning from `main`), so that records a program logged just before it ended are
/// written, as they were when the caller wrote them itself: a handler installed with
/// `atexit` by the first writer thread waits up to ``timeout`` in all for every running
/// writer to empty its queue. A writer blocked in `write` (a stalled pipe) delays the exit
/// by that much at most; what it still holds then is lost.
enum ExitFlush {
    /// The longest the exit handler waits, for all writers together.
    static let timeout = Duration.seconds(2)

    /// The writers whose threads run, by identity.
    private static let writers = ForkSafeValue<[ObjectIdentifier: DescriptorWriter]>([:])

    private static let installed: Bool = {
        ProcessServices.atExit { ExitFlush.run(timeout: ExitFlush.timeout) }
    }()

    /// Adds a writer whose thread has just started; installs the exit handler once.
    static func add(_ writer: DescriptorWriter) {
        _ = installed
        writers.withLock { $0[ObjectIdentifier(writer)] = writer }
    }

    /// Removes a writer whose thread ends.
    static func remove(_ writer: DescriptorWriter) {
        _ = writers.withLock { $0.removeValue(forKey: ObjectIdentifier(writer)) }
    }

    /// Waits until every running writer has written what it was given, or until `timeout`;
    /// returns how many records were still pending then.
    @discardableResult
    static func run(timeout: Duration) -> Int {
        let deadline = MonotonicInstant.after(timeout)
        let running = writers.withLock { Array($0.values) }
        var pending = 0
        for writer in running {
            writer.lock.withLock { $0.flushWaiters += 1 }
            writer.lock.broadcast()
            pending += writer.lock.withLock(waitingUntil: { $0.pending == 0 || $0.stopping }, deadline: deadline) {
                state, _ in
                state.flushWaiters -= 1
                return state.stopping ? 0 : state.pending
            }
        }
        return pending
    }
}
