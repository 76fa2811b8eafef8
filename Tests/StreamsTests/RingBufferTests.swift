import Testing

@testable import Streams

/// The ring against a plain array doing the same operations: what it holds, in what order,
/// what it evicts and what it pops, through growth and many turns around its storage.
@Suite("RingBuffer")
struct RingBufferTests {
    @Test(arguments: [1, 3, 16, 17, 40])
    func behavesAsABoundedQueue(capacity: Int) {
        var ring = RingBuffer<String>(capacity: capacity)
        var model: [String] = []
        // A fixed linear congruential sequence picks the operations: reproducible, and long
        // enough to wrap the storage many times at every capacity.
        var seed: UInt64 = 0x2545_F491_4F6C_DD1D
        for step in 0..<5_000 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let element = "e\(step)"
            switch seed >> 61 {
            case _ where step % 1_000 == 999:
                ring.removeAll()
                model.removeAll()
            case 0, 1:
                let popped = ring.popFirst()
                #expect(popped == (model.isEmpty ? nil : model.removeFirst()), "step \(step)")
            default:
                let evicted = ring.appendEvictingOldest(element)
                let expected = model.count == capacity ? model.removeFirst() : nil
                model.append(element)
                #expect(evicted == expected, "step \(step)")
            }
            #expect(ring.count == model.count && ring.isEmpty == model.isEmpty, "step \(step)")
            #expect(ring.isFull == (model.count == capacity) && ring.last == model.last, "step \(step)")
        }
        #expect(ring.elements == model)
    }

    @Test func fullRingKeepsTheNewestInOrder() {
        var ring = RingBuffer<Int>(capacity: 40)
        var evicted: [Int] = []
        for value in 0..<100 {
            if let old = ring.appendEvictingOldest(value) { evicted.append(old) }
        }
        #expect(ring.elements == Array(60..<100))
        #expect(evicted == Array(0..<60))
    }
}
