import Dispatch
import HekaPlatform

/// Wakes the delivery loop: when events are spooled, a send ends, a limit passes or the
/// relay stops. A signal with nobody waiting is kept for the next wait.
final class WakeSignal: Sendable {
    private struct State: Sendable {
        var pending = false
        var waiter: CheckedContinuation<Void, Never>?
        /// When the running timers fire.
        var timers: [MonotonicInstant] = []
    }

    private let state = LockedValue(State())

    /// Wakes the waiter, or the next one to wait.
    func signal() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter else {
                state.pending = true
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Waits for a signal, or until `deadline` passes. A timer is started only when none
    /// runs that fires by `deadline`: a loop that waits again and again with the same
    /// deadline starts one timer, not one per wait. (A timer that fires for an earlier
    /// wait wakes this one early; the loop looks again and waits again.)
    func wait(until deadline: MonotonicInstant?) async {
        if let deadline {
            let start = state.withLock { state -> Bool in
                guard !state.timers.contains(where: { $0 <= deadline }) else { return false }
                state.timers.append(deadline)
                return true
            }
            if start {
                // A dispatch timer, not a sleeping task: it fires even while every thread of
                // Swift's cooperative pool is busy.
                let delay = max(0, deadline.nanoseconds - MonotonicInstant.now().nanoseconds)
                DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(Int(delay))) { [weak self] in
                    guard let self else { return }
                    self.state.withLock { state in
                        if let index = state.timers.firstIndex(of: deadline) { state.timers.remove(at: index) }
                    }
                    self.signal()
                }
            }
        }
        await withCheckedContinuation { continuation in
            let now = state.withLock { state -> Bool in
                if state.pending {
                    state.pending = false
                    return true
                }
                state.waiter = continuation
                return false
            }
            if now { continuation.resume() }
        }
    }
}
