import HekaPlatform

/// Wakes the delivery loop: when events are spooled, a send ends, a limit passes or the
/// relay stops. A signal with nobody waiting is kept for the next wait.
final class WakeSignal: Sendable {
    private struct State: Sendable {
        var pending = false
        var waiter: CheckedContinuation<Void, Never>?
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

    /// Waits for a signal, or until `deadline` passes.
    func wait(until deadline: MonotonicInstant?) async {
        let timer = deadline.map { deadline in
            Task { [weak self] in
                try? await Task.sleep(nanoseconds: UInt64(max(0, deadline.nanoseconds - MonotonicInstant.now().nanoseconds)))
                self?.signal()
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
        timer?.cancel()
    }
}
