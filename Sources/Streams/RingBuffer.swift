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
        count == 0 ? nil : storage[(head + count - 1) % storage.count]
    }

    /// Every element, oldest first.
    var elements: [Element] {
        (0..<count).map { storage[(head + $0) % storage.count]! }
    }

    /// Appends `element`. When the buffer is full the oldest element is removed to make room
    /// and returned.
    @discardableResult
    mutating func appendEvictingOldest(_ element: Element) -> Element? {
        var evicted: Element?
        if count == capacity {
            evicted = popFirst()
        } else if count == storage.count {
            grow()
        }
        storage[(head + count) % storage.count] = element
        count += 1
        return evicted
    }

    /// Removes and returns the oldest element.
    mutating func popFirst() -> Element? {
        guard count > 0 else { return nil }
        let element = storage[head]
        storage[head] = nil
        head = (head + 1) % storage.count
        count -= 1
        return element
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
            newStorage[index] = storage[(head + index) % storage.count]
        }
        storage = newStorage
        head = 0
    }
}

extension RingBuffer: Sendable where Element: Sendable {}
