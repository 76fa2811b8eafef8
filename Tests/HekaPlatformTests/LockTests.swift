import Foundation
import HekaPlatform
import Testing

@Suite struct LockTests {
    @Test("LockedValue: increments from 8 threads at once are none of them lost")
    func lockedValueUnderContention() {
        let counter = LockedValue(0)
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for _ in 0..<20_000 { counter.withLock { $0 += 1 } }
        }
        #expect(counter.withLock { $0 } == 160_000)
    }

    @Test("LockedValue: a thrown error leaves the lock free and the state as the body left it")
    func lockedValueRethrows() {
        struct Refused: Error {}
        let value = LockedValue([1])
        #expect(throws: Refused.self) {
            try value.withLock { (state) throws(Refused) in
                state.append(2)
                throw Refused()
            }
        }
        #expect(value.withLock { $0 } == [1, 2])
    }

    @Test("ConditionLock: a waiter wakes when another thread makes the predicate true")
    func conditionWakesWaiter() {
        let lock = ConditionLock(0)
        let checked = DispatchSemaphore(value: 0)
        let setter = Thread {
            // The waiter has checked the predicate once, under the lock: taking the lock now
            // succeeds only once the waiter lets go of it in its wait.
            checked.wait()
            lock.withLock { $0 = 7 }
            lock.broadcast()
        }
        setter.start()
        let checks = LockedValue(0)
        let (value, satisfied) = lock.withLock(waitingUntil: { state in
            if checks.withLock({ count in count += 1; return count }) == 1 { checked.signal() }
            return state == 7
        }, deadline: .after(.seconds(30))) { state, satisfied in (state, satisfied) }
        #expect(value == 7 && satisfied)
        #expect(checks.withLock { $0 } >= 2)  // false first, then true after the wake
    }

    @Test("ConditionLock: a deadline that passes ends the wait, unsatisfied, not early")
    func conditionTimesOut() {
        let lock = ConditionLock(false)
        let start = MonotonicInstant.now()
        let satisfied = lock.withLock(waitingUntil: { $0 }, deadline: .after(.milliseconds(50))) { _, satisfied in
            satisfied
        }
        #expect(!satisfied)
        #expect(MonotonicInstant.now().nanoseconds - start.nanoseconds >= 50_000_000)
    }

    @Test("RateLimiter: one event per interval, then the count of those held back")
    func rateLimiter() {
        let limiter = RateLimiter(interval: .seconds(3600))
        #expect(limiter.admit() == 0)
        #expect(limiter.admit() == nil)
        #expect(limiter.admit() == nil)
        let quick = RateLimiter(interval: .zero)
        #expect(quick.admit() == 0 && quick.admit() == 0)
    }
}
