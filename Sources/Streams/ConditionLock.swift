#if canImport(Glibc)
import Glibc
#endif

/// A point in time on `CLOCK_MONOTONIC`, the clock the condition variables of
/// ``ConditionLock`` time out on.
package struct MonotonicInstant: Sendable, Comparable {
    /// Nanoseconds since the clock's (boot-time) origin.
    package var nanoseconds: Int64

    /// The current time.
    package static func now() -> MonotonicInstant {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return MonotonicInstant(nanoseconds: Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec))
    }

    /// `now()` plus `duration` (a negative duration counts as zero).
    package static func after(_ duration: Duration) -> MonotonicInstant {
        now().advanced(by: duration)
    }

    /// This instant moved `duration` later, saturating instead of overflowing.
    package func advanced(by duration: Duration) -> MonotonicInstant {
        let delta = duration.clampedNanoseconds
        let (sum, overflow) = nanoseconds.addingReportingOverflow(delta)
        return MonotonicInstant(nanoseconds: overflow ? .max : sum)
    }

    /// Whole milliseconds until this instant (rounded up, at least 0), as `poll` takes them.
    var millisecondsFromNow: Int32 {
        let remaining = nanoseconds - MonotonicInstant.now().nanoseconds
        guard remaining > 0 else { return 0 }
        return Int32(clamping: (remaining + 999_999) / 1_000_000)
    }

    /// The instant as the `timespec` that `pthread_cond_timedwait` takes.
    var timespecValue: timespec {
        timespec(tv_sec: Int(nanoseconds / 1_000_000_000), tv_nsec: Int(nanoseconds % 1_000_000_000))
    }

    package static func < (lhs: MonotonicInstant, rhs: MonotonicInstant) -> Bool { lhs.nanoseconds < rhs.nanoseconds }
}

extension Duration {
    /// The duration in nanoseconds, negative values as 0 and huge ones as `Int64.max`.
    var clampedNanoseconds: Int64 {
        let (seconds, attoseconds) = components
        guard seconds >= 0 else { return 0 }
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return .max }
        let (sum, overflow2) = whole.addingReportingOverflow(attoseconds / 1_000_000_000)
        return overflow2 ? .max : sum
    }

    /// The duration in whole milliseconds, rounded, for messages: `200 ms`. (A client's
    /// deadline arrives a few microseconds short; `0.199989584 seconds` helps nobody.)
    var millisecondsText: String {
        let nanoseconds = clampedNanoseconds
        return "\(nanoseconds / 1_000_000 + (nanoseconds % 1_000_000 >= 500_000 ? 1 : 0)) ms"
    }
}

/// A pthread mutex with a condition variable, guarding a value of type `State`.
///
/// `Synchronization.Mutex` has no condition variable, which the TCP writer thread needs to
/// sleep until there is work (no busy waiting) and to wait for a deadline that `close` can
/// cut short. Timed waits use `CLOCK_MONOTONIC`, so changing the wall clock does not affect them.
///
/// It is also the lock of state that many logging threads take at once (the record a stream
/// writes under its lock), without the condition variable. On Linux `Synchronization.Mutex`
/// is a priority-inheritance futex: once contended, every lock and unlock is a system call
/// that hands the lock to a sleeping waiter, so threads take turns through the scheduler
/// (8 threads writing 160,000 records to one `FileStream` took 9.0 s with it, 1.4 s with
/// this lock). ThreadSanitizer does not see those hand-offs either, and reports the state
/// they protect as raced; it knows pthread mutexes.
package final class ConditionLock<State: ~Copyable & Sendable>: @unchecked Sendable {
    // @unchecked Sendable: `state` is only read or written while `mutex` is held.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    // The mutex already makes every access exclusive. Swift's run-time exclusivity check
    // of a class's stored property (a `swift_beginAccess`/`swift_endAccess` pair, about
    // 120 instructions) would cost more than the lock and unlock themselves.
    @exclusivity(unchecked) private var state: State

    package init(_ initial: consuming State) {
        state = initial
        pthread_mutex_init(mutex, nil)
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(condition, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    /// Runs `body` with the state while holding the lock.
    package func withLock<Result, Failure: Error>(
        _ body: (inout State) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&state)
    }

    /// Takes the lock, waits on the condition variable until `predicate` holds or `deadline`
    /// (if any) passes, then runs `body` with the state and whether `predicate` held, all
    /// without letting go of the lock between the last check and `body`.
    package func withLock<Result, Failure: Error>(
        waitingUntil predicate: (borrowing State) -> Bool,
        deadline: MonotonicInstant?,
        _ body: (inout State, _ satisfied: Bool) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        var satisfied = predicate(state)
        while !satisfied {
            if let deadline {
                var limit = deadline.timespecValue
                let rc = pthread_cond_timedwait(condition, mutex, &limit)
                satisfied = predicate(state)
                if rc == ETIMEDOUT { break }
            } else {
                pthread_cond_wait(condition, mutex)
                satisfied = predicate(state)
            }
        }
        return try body(&state, satisfied)
    }

    /// Wakes every thread waiting in ``withLock(waitingUntil:deadline:_:)``. Call it after
    /// changing the state (with or without the lock held).
    package func broadcast() {
        pthread_cond_broadcast(condition)
    }
}
