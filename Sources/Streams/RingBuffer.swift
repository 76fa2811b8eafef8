/// A first-in, first-out buffer holding at most `capacity` elements.
///
/// Storage grows on demand up to `capacity` (a large capacity costs nothing until used) and
/// is then reused circularly. Used as the TCP writer's queue (which refuses elements when
/// full) and as the debug capture's ring (which evicts the oldest element instead).
struct RingBuffer<Element> {
    /// The most elements the buffer holds.
    let capacity: Int
    private var storage: [Element?] = []
    private var head = 0
    /// How many elements the buffer holds now.
    private(set) var count = 0

    init(capacity: Int) {
        precondition(capacity > 0, "RingBuffer capacity must be positive")
        self.capacity = capacity
    }

    var isEmpty: Bool { count == 0 }
    var isFull: Bool { count == capacity }

    /// The newest element.
    var last: Element? {
        count == 0 ? nil : storage[slot(count - 1)]
    }

    /// Every element, oldest first.
    var elements: [Element] {
        (0..<count).map { storage[slot($0)]! }
    }

    /// Appends `element`. When the buffer is full the oldest element is removed to make room
    /// and returned.
    @discardableResult
    mutating func appendEvictingOldest(_ element: Element) -> Element? {
        if count == capacity {
            // Full, the storage is `capacity` long and the newest goes where the oldest was:
            // one exchange in place of a removal and an append.
            var evicted: Element? = element
            swap(&storage[head], &evicted)
            head = head + 1 == storage.count ? 0 : head + 1
            return evicted
        }
        if count == storage.count { grow() }
        storage[slot(count)] = element
        count += 1
        return nil
    }

    /// Removes and returns the oldest element.
    mutating func popFirst() -> Element? {
        guard count > 0 else { return nil }
        var element: Element? = nil
        swap(&storage[head], &element)
        head = head + 1 == storage.count ? 0 : head + 1
        count -= 1
        return element
    }

    /// The storage index of the element `offset` places after the oldest (`offset` is
    /// below the storage's length): a comparison, not a division.
    private func slot(_ offset: Int) -> Int {
        let index = head + offset
        return index >= storage.count ? index - storage.count : index
    }

    /// Removes every element, keeping the storage for reuse.
    mutating func removeAll() {
        while popFirst() != nil {}
        head = 0
    }

    /// Doubles the storage (up to `capacity`), moving the elements to its start in order.
    private mutating func grow() {
        let newSize = min(capacity, max(16, storage.count * 2))
        var newStorage = [Element?](repeating: nil, count: newSize)
        for index in 0..<count {
            newStorage[index] = storage[slot(index)]
        }
        storage = newStorage
        head = 0
    }
}

extension RingBuffer: Sendable where Element: Sendable {}
