import HekaPlatform

/// A thread that runs `tick` every `interval` until it is stopped.
///
/// Ticks keep to a fixed schedule (start + n × interval) rather than drifting by the time a
/// tick takes; a tick that overruns the next one's time starts the schedule afresh from now.
/// The thread waits on a condition variable, so ``stop()`` ends it at once.
final class IntervalTicker: Sendable {
    private let stopped = ConditionLock(false)
    private let thread: LockedValue<PlatformThread?>

    /// Starts the thread; throws the system's error (`Errno`) when it cannot.
    init(interval: Duration, tick: @escaping @Sendable () -> Void) throws {
        let stopped = self.stopped
        thread = LockedValue(try PlatformThread.spawn(name: "heka-metrics") {
            var next = MonotonicInstant.after(interval)
            while true {
                let stop = stopped.withLock(waitingUntil: { $0 }, deadline: next) { stop, _ in stop }
                if stop { return }
                tick()
                next = next.advanced(by: interval)
                let now = MonotonicInstant.now()
                if next < now { next = now.advanced(by: interval) }
            }
        })
    }

    /// Ends the thread and waits for it (for a tick under way to finish); later calls do
    /// nothing.
    func stop() {
        stopped.withLock { $0 = true }
        stopped.broadcast()
        thread.withLock { thread in
            thread?.join()
            thread = nil
        }
    }

    deinit {
        stop()
    }
}
