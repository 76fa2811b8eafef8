#if canImport(Glibc)
import Glibc
#endif

/// The package's one mutex: a pthread mutex on the heap, every return code checked.
///
/// **Why not `Synchronization.Mutex`.** On Linux `Synchronization.Mutex` is a
/// priority-inheritance futex. Once contended, every lock and unlock is a system call that
/// hands the lock to a sleeping waiter, so logging threads take turns through the scheduler:
/// 8 threads writing 160,000 records to one `FileStream` took 9.0 s with it and 1.4 s with a
/// pthread mutex (measured on the 2-core machines this public is built on). ThreadSanitizer
/// does not see those futex hand-offs either and reports the state they guard as raced; it
/// knows pthread mutexes. So every lock in the package, on the send path or not, is this one
/// (through ``LockedValue`` or ``ConditionLock``), and there is one kind of lock to reason about.
///
/// A failed `pthread_mutex_*` call (`EINVAL`, `EDEADLK`, …) means memory corruption or a
/// lock used after it was destroyed: it stops the process with the function's name and the
/// error, as NIO's `NIOLock` does, rather than run on unguarded.
// @unchecked Sendable: a pthread mutex exists to be used from many threads; its pointer
// never changes after `init`.
public struct PthreadMutex: ~Copyable, @unchecked Sendable {
    @usableFromInline
    let mutex: UnsafeMutablePointer<pthread_mutex_t>

    public init() {
        // A cache line of its own, so that threads taking two different locks do not contend
        // for one line.
        mutex = UnsafeMutableRawPointer.allocate(byteCount: 64, alignment: 64)
            .bindMemory(to: pthread_mutex_t.self, capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        let rc = pthread_mutex_init(mutex, nil)
        precondition(rc == 0, "pthread_mutex_init failed: \(rc)")
    }

    deinit {
        let rc = pthread_mutex_destroy(mutex)
        precondition(rc == 0, "pthread_mutex_destroy failed: \(rc)")
        UnsafeMutableRawPointer(mutex).deallocate()
    }

    @inlinable @inline(__always)
    public func lock() {
        let rc = pthread_mutex_lock(mutex)
        precondition(rc == 0, "pthread_mutex_lock failed: \(rc)")
    }

    @inlinable @inline(__always)
    public func unlock() {
        let rc = pthread_mutex_unlock(mutex)
        precondition(rc == 0, "pthread_mutex_unlock failed: \(rc)")
    }

    /// Makes the mutex new and unlocked again, whoever held it: only for a forked child
    /// (see ``ForkAware``), where the holder may be a thread that did not come along.
    public func reinitializeAfterFork() {
        mutex.initialize(to: pthread_mutex_t())
        let rc = pthread_mutex_init(mutex, nil)
        precondition(rc == 0, "pthread_mutex_init failed: \(rc)")
    }
}

/// A condition variable on `CLOCK_MONOTONIC`, waited on with a ``PthreadMutex``; every
/// return code checked.
// @unchecked Sendable: as for ``PthreadMutex``.
public struct PthreadCondition: ~Copyable, @unchecked Sendable {
    @usableFromInline let condition: UnsafeMutablePointer<pthread_cond_t>

    public init() {
        condition = .allocate(capacity: 1)
        Self.initialize(condition)
    }

    /// Makes the condition variable new, without waiters: only for a forked child (see
    /// ``ForkAware``), where its waiters may be threads that did not come along.
    public func reinitializeAfterFork() {
        Self.initialize(condition)
    }

    private static func initialize(_ condition: UnsafeMutablePointer<pthread_cond_t>) {
        condition.initialize(to: pthread_cond_t())
        var attributes = pthread_condattr_t()
        var rc = pthread_condattr_init(&attributes)
        precondition(rc == 0, "pthread_condattr_init failed: \(rc)")
        rc = pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        precondition(rc == 0, "pthread_condattr_setclock failed: \(rc)")
        rc = pthread_cond_init(condition, &attributes)
        precondition(rc == 0, "pthread_cond_init failed: \(rc)")
        rc = pthread_condattr_destroy(&attributes)
        precondition(rc == 0, "pthread_condattr_destroy failed: \(rc)")
    }

    deinit {
        let rc = pthread_cond_destroy(condition)
        precondition(rc == 0, "pthread_cond_destroy failed: \(rc)")
        condition.deallocate()
    }

    /// Waits for a broadcast, letting go of `mutex` (locked by the caller) meanwhile.
    @inlinable
    public func wait(on mutex: borrowing PthreadMutex) {
        let rc = pthread_cond_wait(condition, mutex.mutex)
        precondition(rc == 0, "pthread_cond_wait failed: \(rc)")
    }

    /// Waits for a broadcast or `deadline`; returns `false` when the deadline passed.
    @inlinable
    public func wait(on mutex: borrowing PthreadMutex, until deadline: MonotonicInstant) -> Bool {
        var limit = deadline.timespecValue
        let rc = pthread_cond_timedwait(condition, mutex.mutex, &limit)
        precondition(rc == 0 || rc == ETIMEDOUT, "pthread_cond_timedwait failed: \(rc)")
        return rc == 0
    }

    /// Wakes every waiter.
    @inlinable
    public func broadcast() {
        let rc = pthread_cond_broadcast(condition)
        precondition(rc == 0, "pthread_cond_broadcast failed: \(rc)")
    }
}
