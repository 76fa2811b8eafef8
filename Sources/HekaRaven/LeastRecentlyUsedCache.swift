/// A cache bounded by the bytes its values cost, that forgets the least recently used values
/// first. Not thread-safe: ``FrameCache`` keeps it under a lock.
///
/// The values sit in slots linked from the most recently used (`head`) to the least
/// (`tail`); a dictionary maps keys to slots. A lookup that finds its key moves the slot to
/// the head, an insertion puts a new slot there, and the tail's slots are dropped until the
/// cost fits ``byteLimit``: every operation is O(1) besides the key's hashing.
struct LeastRecentlyUsedCache<Key: Hashable, Value> {
    /// The most the kept values may cost together.
    let byteLimit: Int
    /// What the kept values cost together.
    private(set) var bytes = 0
    private var slotOfKey: [Key: Int] = [:]
    private var slots: [Slot] = []
    private var freeSlots: [Int] = []
    private var head = -1
    private var tail = -1

    fileprivate struct Slot {
        var key: Key?
        var value: Value?
        var cost = 0
        var newer = -1
        var older = -1
    }

    init(byteLimit: Int) {
        self.byteLimit = byteLimit
    }

    /// Values kept.
    var count: Int { slotOfKey.count }

    /// The value of `key`, which becomes the most recently used.
    mutating func value(for key: Key) -> Value? {
        guard let slot = slotOfKey[key] else { return nil }
        moveToHead(slot)
        return slots[slot].value
    }

    /// Keeps `value` as `key`'s, the most recently used, then forgets the least recently
    /// used values until the total cost fits ``byteLimit``. A value that costs more than the
    /// limit on its own is not kept (and the value it would replace is forgotten).
    mutating func insert(_ value: Value, for key: Key, cost: Int) {
        remove(key)
        guard cost <= byteLimit else { return }
        let slot = freeSlots.popLast() ?? {
            slots.append(Slot())
            return slots.count - 1
        }()
        slots[slot] = Slot(key: key, value: value, cost: cost, newer: -1, older: head)
        if head >= 0 { slots[head].newer = slot }
        head = slot
        if tail < 0 { tail = slot }
        slotOfKey[key] = slot
        bytes += cost
        while bytes > byteLimit, tail >= 0, let oldest = slots[tail].key { remove(oldest) }
    }

    /// Forgets `key`'s value, if any.
    mutating func remove(_ key: Key) {
        guard let slot = slotOfKey.removeValue(forKey: key) else { return }
        unlink(slot)
        bytes -= slots[slot].cost
        slots[slot] = Slot()
        freeSlots.append(slot)
    }

    /// The keys, the most recently used first.
    var keysByRecency: [Key] {
        var keys: [Key] = []
        var slot = head
        while slot >= 0 {
            if let key = slots[slot].key { keys.append(key) }
            slot = slots[slot].older
        }
        return keys
    }

    /// The values kept, in no particular order.
    var values: [Value] { slotOfKey.values.compactMap { slots[$0].value } }

    private mutating func moveToHead(_ slot: Int) {
        guard slot != head else { return }
        unlink(slot)
        slots[slot].older = head
        slots[slot].newer = -1
        if head >= 0 { slots[head].newer = slot }
        head = slot
        if tail < 0 { tail = slot }
    }

    private mutating func unlink(_ slot: Int) {
        let (newer, older) = (slots[slot].newer, slots[slot].older)
        if newer >= 0 { slots[newer].older = older } else { head = older }
        if older >= 0 { slots[older].newer = newer } else { tail = newer }
        slots[slot].newer = -1
        slots[slot].older = -1
    }
}

extension LeastRecentlyUsedCache: Sendable where Key: Sendable, Value: Sendable {}
extension LeastRecentlyUsedCache.Slot: Sendable where Key: Sendable, Value: Sendable {}
