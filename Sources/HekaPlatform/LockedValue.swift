/// A value guarded by the package's mutex (``PthreadMutex``): the package's replacement for
/// `Synchronization.Mutex`, for the reasons given there.
public final class LockedValue<State> {
    @usableFromInline let mutex = PthreadMutex()
    // The mutex already makes every access exclusive; Swift's run-time exclusivity check of
    // a class's stored property (about 120 instructions) would cost more than the lock.
    @usableFromInline @exclusivity(unchecked) var state: State

    public init(_ initial: State) {
        state = initial
    }

    // The methods are inlinable so that the streams' and the client's modules specialise
    // them for their state: an unspecialised generic call into this module cost about 100
    // instructions a record.

    /// Runs `body` with the state while holding the lock.
    @inlinable @inline(__always)
    public func withLock<Result, Failure: Error>(
        _ body: (inout State) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try withLockedMutex { _, state throws(Failure) in try body(&state) }
    }

    /// Runs `body` with the mutex (held) and the state: for ``ConditionLock``, whose waits
    /// let go of the mutex meanwhile.
    @inlinable @inline(__always)
    public func withLockedMutex<Result, Failure: Error>(
        _ body: (borrowing PthreadMutex, inout State) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        mutex.lock()
        defer { mutex.unlock() }
        return try body(mutex, &state)
    }

    // The three calls a ``ForkAware`` object makes around a fork, in this order: the lock
    // is taken before the fork, and released in the parent or made new in the child.

    /// Takes the lock before a fork (``ForkAware/prepareForFork()``).
    public func lockForFork() { mutex.lock() }

    /// Releases the lock taken by ``lockForFork()``, in the parent.
    public func unlockAfterFork() { mutex.unlock() }

    /// Makes the lock new and unlocked, in the child.
    public func reinitializeAfterFork() { mutex.reinitializeAfterFork() }

    /// The state, for a caller that holds the lock through ``lockForFork()``.
    public var unguardedState: State {
        get { state }
        set { state = newValue }
    }
}

// @unchecked: `state` is only read or written while `mutex` is held.
extension LockedValue: @unchecked Sendable where State: Sendable {}
