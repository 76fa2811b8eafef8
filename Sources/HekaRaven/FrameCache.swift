import HekaPlatform

/// The symbolicated stacks of the call paths seen before, bounded by bytes and forgetting the
/// least recently used first (``LeastRecentlyUsedCache``), so that a program's hot paths stay
/// cached however many rare ones come and go.
///
/// A stack's cost (``cost(of:)``) is an estimate of the memory it holds: its frames' text,
/// their JSON, the compressed section the first event makes of them (no larger than the
/// JSON) and its checksum input. A deep stack with source context costs a few hundred
/// kilobytes, a shallow one a few.
final class FrameCache<Key: Hashable & Sendable>: ForkAware {
    /// The default bound: 16 MiB.
    static var defaultByteLimit: Int { 16 << 20 }

    private let cache: LockedValue<LeastRecentlyUsedCache<Key, CapturedStack>>

    init(byteLimit: Int = FrameCache.defaultByteLimit) {
        cache = LockedValue(LeastRecentlyUsedCache(byteLimit: byteLimit))
        ForkHandlers.register(self)
    }

    /// The stack kept for `key`, which becomes the most recently used.
    func stack(for key: Key) -> CapturedStack? {
        cache.withLock { $0.value(for: key) }
    }

    /// Keeps `stack` for `key`, forgetting the least recently used stacks beyond the bound.
    func keep(_ stack: CapturedStack, for key: Key) {
        let cost = Self.cost(of: stack)
        cache.withLock { $0.insert(stack, for: key, cost: cost) }
    }

    /// The keys kept, the most recently used first, and what their stacks cost together.
    var contents: (keys: [Key], bytes: Int) {
        cache.withLock { ($0.keysByRecency, $0.bytes) }
    }

    /// The memory a stack holds, estimated.
    static func cost(of stack: CapturedStack) -> Int {
        var text = 0
        for frame in stack.frames {
            text += frame.function.utf8.count + (frame.rawFunction?.utf8.count ?? 0) + (frame.module?.utf8.count ?? 0)
                + (frame.fileName?.utf8.count ?? 0) + (frame.absolutePath?.utf8.count ?? 0)
                + (frame.image?.utf8.count ?? 0) + (frame.contextLine?.utf8.count ?? 0)
                + frame.preContext.reduce(0) { $0 + $1.utf8.count } + frame.postContext.reduce(0) { $0 + $1.utf8.count }
                + MemoryLayout<StackFrame>.stride
        }
        return text + 2 * stack.framesJSON.count + stack.checksumInput.count
    }

    func prepareForFork() {
        cache.lockForFork()
    }

    func resumeInParent() {
        cache.unlockAfterFork()
    }

    /// The stacks stay (they are whole: the lock was held across the fork); a thread that
    /// held one stack's own lock did not come along, so each is made new.
    func resumeInChild() {
        cache.reinitializeAfterFork()
        for stack in cache.unguardedState.values { stack.resumeInChild() }
    }
}
