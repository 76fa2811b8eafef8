#if canImport(Glibc)
import Glibc
#endif

/// Lets one event through per interval and counts the others.
public final class RateLimiter: Sendable {
    private struct State {
        var next: ContinuousClock.Instant?
        var suppressed = 0
    }
    private let interval: Duration
    private let state = ForkSafeValue(State())

    public init(interval: Duration) { self.interval = interval }

    /// `nil` when the event is held back; else how many were held back since the last one.
    public func admit() -> Int? {
        let now = ContinuousClock.now
        return state.withLock { state in
            if let next = state.next, now < next {
                state.suppressed += 1
                return nil
            }
            state.next = now + interval
            defer { state.suppressed = 0 }
            return state.suppressed
        }
    }
}

/// Writes `heka: <text>` lines on standard error, at most one per interval; the next line
/// written says how many were held back. The default reporter of every error handler in
/// the package: it never blocks on a lock another thread holds for long, and a failed write
/// is ignored (there is nowhere left to report it).
public struct StandardErrorLines: Sendable {
    private let limiter: RateLimiter

    public init(interval: Duration) {
        limiter = RateLimiter(interval: interval)
    }

    public func write(_ text: String) {
        guard let suppressed = limiter.admit() else { return }
        let note = suppressed > 0 ? " (\(suppressed) earlier errors not shown)" : ""
        let line = Array("heka: \(text)\(note)\n".utf8)
        _ = writeAll(fd: 2, line)
    }
}
