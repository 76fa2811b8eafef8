/// A value guarded by the package's mutex (``PthreadMutex``), with a condition variable to
/// wait on until the value says there is work.
///
/// The TCP writer thread sleeps on it until there is a record to send (no busy waiting), and
/// waits for deadlines that `close` can cut short. Timed waits use `CLOCK_MONOTONIC`, so
/// changing the wall clock does not affect them. It is also the lock that many logging
/// threads take at once around a stream's write, without the condition variable.
public final class ConditionLock<State: Sendable>: Sendable {
    @usableFromInline let locked: LockedValue<State>
    @usableFromInline let condition = PthreadCondition()

    public init(_ initial: State) {
        locked = LockedValue(initial)
    }

    /// Runs `body` with the state while holding the lock.
    @inlinable @inline(__always)
    public func withLock<Result, Failure: Error>(
        _ body: (inout State) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try locked.withLock(body)
    }

    /// Takes the lock, waits on the condition variable until `predicate` holds or `deadline`
    /// (if any) passes, then runs `body` with the state and whether `predicate` held, all
    /// without letting go of the lock between the last check and `body`.
    @inlinable @inline(__always)
    public func withLock<Result, Failure: Error>(
        waitingUntil predicate: (borrowing State) -> Bool,
        deadline: MonotonicInstant?,
        _ body: (inout State, _ satisfied: Bool) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try locked.withLockedMutex { mutex, state throws(Failure) in
            var satisfied = predicate(state)
            while !satisfied {
                if let deadline {
                    let woken = condition.wait(on: mutex, until: deadline)
                    satisfied = predicate(state)
                    if !woken { break }
                } else {
                    condition.wait(on: mutex)
                    satisfied = predicate(state)
                }
            }
            return try body(&state, satisfied)
        }
    }

    /// Wakes every thread waiting in ``withLock(waitingUntil:deadline:_:)``. Call it after
    /// changing the state (with or without the lock held).
    @inlinable @inline(__always)
    public func broadcast() {
        condition.broadcast()
    }

    /// Takes the lock before a fork (``ForkAware/prepareForFork()``).
    public func lockForFork() { locked.lockForFork() }

    /// Releases the lock taken by ``lockForFork()``, in the parent.
    public func unlockAfterFork() { locked.unlockAfterFork() }

    /// Makes the lock and the condition variable new, in the child: the threads that held
    /// or waited on them did not come along.
    public func reinitializeAfterFork() {
        locked.reinitializeAfterFork()
        condition.reinitializeAfterFork()
    }

    /// The state, for a caller that holds the lock through ``lockForFork()``.
    public var unguardedState: State {
        get { locked.unguardedState }
        set { locked.unguardedState = newValue }
    }
}
