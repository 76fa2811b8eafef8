/// A value under the package's mutex (a ``LockedValue``) that stays usable in a forked
/// child: the lock is taken before each fork, released in the parent and made new in the
/// child (``ForkAware``), so the child finds the value whole and the lock free.
///
/// Hold it briefly, and while holding it neither take another registered lock nor make an
/// object that registers (see ``ForkAware``): the forking thread waits for it.
public final class ForkSafeValue<State: Sendable>: ForkAware {
    @usableFromInline let locked: LockedValue<State>

    public init(_ initial: State) {
        locked = LockedValue(initial)
        ForkHandlers.register(self)
    }

    /// Runs `body` with the state while holding the lock.
    @inlinable @inline(__always)
    public func withLock<Result, Failure: Error>(
        _ body: (inout State) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try locked.withLock(body)
    }

    public func prepareForFork() { locked.lockForFork() }
    public func resumeInParent() { locked.unlockAfterFork() }
    public func resumeInChild() { locked.reinitializeAfterFork() }
}
