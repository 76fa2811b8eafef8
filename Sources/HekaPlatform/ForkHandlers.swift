#if canImport(Glibc)
import Glibc
#endif

/// An object with locks or threads that a `fork()` must not leave broken in the child.
///
/// `fork()` copies only the thread that calls it. A lock another thread held at that moment
/// stays held in the child for good, a condition variable keeps waiters that no longer
/// exist, and a writer or worker thread is simply absent. Registered objects
/// (``ForkHandlers/register(_:)``) are told around every fork, from `pthread_atfork`
/// handlers, in the forking thread.
public protocol ForkAware: AnyObject, Sendable {
    /// Before the fork: take the locks whose state must be whole in the child. Hold them
    /// only briefly elsewhere, and while holding one never take another registered lock nor
    /// register an object: the forking thread holds the registry's lock and takes them in
    /// registration order.
    func prepareForFork()
    /// In the parent after the fork: release what ``prepareForFork()`` took.
    func resumeInParent()
    /// In the child after the fork (one thread, the one that forked): make the locks usable
    /// again (re-initialise them) and mark the threads that did not come along as absent,
    /// so that they are started again when next needed.
    func resumeInChild()
}

/// The registry of ``ForkAware`` objects and the `pthread_atfork` handlers that call them.
public enum ForkHandlers {
    /// Tells `object` about every later fork, for as long as it lives (the registry keeps a
    /// weak reference). Call it outside any registered lock. A weakly referenced object's
    /// every retain and release takes the runtime's slow path, so register a small object
    /// of its own rather than one retained on every message's path.
    public static func register(_ object: any ForkAware) {
        _ = installed
        registry.withLock { entries in
            if entries.count >= 16 && entries.count.nonzeroBitCount == 1 {
                entries.removeAll { $0.object == nil }
            }
            entries.append(WeakEntry(object: object))
        }
    }

    private struct WeakEntry: @unchecked Sendable {
        // @unchecked Sendable: a weak reference to a Sendable object.
        weak var object: (any ForkAware)?
    }

    private static let registry = LockedValue<[WeakEntry]>([])

    /// The objects being told about the fork in progress, from `prepare` to `parent` or
    /// `child`: only the forking thread touches it, while it holds the registry's lock.
    private final class InProgress: @unchecked Sendable {
        // @unchecked Sendable: read and written only by the forking thread, under the
        // registry's lock.
        var objects: [any ForkAware] = []
    }

    private static let inProgress = InProgress()

    private static let installed: Bool = {
        pthread_atfork(
            { ForkHandlers.prepare() }, { ForkHandlers.resumeInParent() }, { ForkHandlers.resumeInChild() }) == 0
    }()

    private static func prepare() {
        registry.lockForFork()
        inProgress.objects = registry.unguardedState.compactMap(\.object)
        for object in inProgress.objects { object.prepareForFork() }
    }

    private static func resumeInParent() {
        for object in inProgress.objects.reversed() { object.resumeInParent() }
        inProgress.objects = []
        registry.unlockAfterFork()
    }

    private static func resumeInChild() {
        registry.reinitializeAfterFork()
        for object in inProgress.objects { object.resumeInChild() }
        inProgress.objects = []
    }
}

/// A ``ForkAware`` object whose state is one ``ConditionLock``: the lock is taken before the
/// fork, released in the parent, and made new in the child, where ``resetInChild(_:)``
/// makes the state right for a process with no other thread.
public protocol ForkAwareConditionLock: ForkAware {
    associatedtype LockedState: Sendable
    /// The lock whose state must be whole in the child.
    var lock: ConditionLock<LockedState> { get }
    /// In the child, with the lock made new: drop what belonged to the parent's threads.
    func resetInChild(_ state: inout LockedState)
}

extension ForkAwareConditionLock {
    public func prepareForFork() { lock.lockForFork() }
    public func resumeInParent() { lock.unlockAfterFork() }
    public func resumeInChild() {
        lock.reinitializeAfterFork()
        var state = lock.unguardedState
        resetInChild(&state)
        lock.unguardedState = state
    }
}
