/// A value guarded by the package's mutex (``PthreadMutex``): the package's replacement for
/// `Synchronization.Mutex`, for the reasons given there.
package final class LockedValue<State: ~Copyable> {
    private let mutex = PthreadMutex()
    // The mutex already makes every access exclusive; Swift's run-time exclusivity check of
    // a class's stored property (about 120 instructions) would cost more than the lock.
    @exclusivity(unchecked) private var state: State

    package init(_ initial: consuming State) {
        state = initial
    }

    /// Runs `body` with the state while holding the lock.
    package func withLock<Result, Failure: Error>(
        _ body: (inout State) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try withLockedMutex { _, state throws(Failure) in try body(&state) }
    }

    /// Runs `body` with the mutex (held) and the state: for ``ConditionLock``, whose waits
    /// let go of the mutex meanwhile.
    package func withLockedMutex<Result, Failure: Error>(
        _ body: (borrowing PthreadMutex, inout State) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        mutex.lock()
        defer { mutex.unlock() }
        return try body(mutex, &state)
    }
}

// @unchecked: `state` is only read or written while `mutex` is held.
extension LockedValue: @unchecked Sendable where State: ~Copyable & Sendable {}
