#if canImport(Glibc)
import Glibc
#endif

/// A point in time on `CLOCK_MONOTONIC`, the clock the condition variables of
/// ``ConditionLock`` time out on.
public struct MonotonicInstant: Sendable, Comparable {
    /// Nanoseconds since the clock's (boot-time) origin.
    public var nanoseconds: Int64

    public init(nanoseconds: Int64) {
        self.nanoseconds = nanoseconds
    }

    /// The current time.
    public static func now() -> MonotonicInstant {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return MonotonicInstant(nanoseconds: Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec))
    }

    /// `now()` plus `duration` (a negative duration counts as zero).
    public static func after(_ duration: Duration) -> MonotonicInstant {
        now().advanced(by: duration)
    }

    /// This instant moved `duration` later, saturating instead of overflowing.
    public func advanced(by duration: Duration) -> MonotonicInstant {
        let (sum, overflow) = nanoseconds.addingReportingOverflow(duration.clampedNanoseconds)
        return MonotonicInstant(nanoseconds: overflow ? .max : sum)
    }

    /// Whole milliseconds until this instant (rounded up, at least 0), as `poll` takes them.
    public var millisecondsFromNow: Int32 {
        let remaining = nanoseconds - MonotonicInstant.now().nanoseconds
        guard remaining > 0 else { return 0 }
        return Int32(clamping: (remaining + 999_999) / 1_000_000)
    }

    /// The instant as the `timespec` that `pthread_cond_timedwait` takes.
    @usableFromInline
    var timespecValue: timespec {
        timespec(tv_sec: Int(nanoseconds / 1_000_000_000), tv_nsec: Int(nanoseconds % 1_000_000_000))
    }

    public static func < (lhs: MonotonicInstant, rhs: MonotonicInstant) -> Bool { lhs.nanoseconds < rhs.nanoseconds }
}
