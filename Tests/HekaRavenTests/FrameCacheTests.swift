import Testing

@testable import HekaRaven

/// The cache of symbolicated stacks: bounded by bytes, forgetting the least recently used.
@Suite struct FrameCacheTests {
    @Test("the least recently used value goes first; a lookup makes a value the most recent")
    func evictsLeastRecentlyUsed() {
        var cache = LeastRecentlyUsedCache<String, Int>(byteLimit: 30)
        cache.insert(1, for: "a", cost: 10)
        cache.insert(2, for: "b", cost: 10)
        cache.insert(3, for: "c", cost: 10)
        #expect(cache.keysByRecency == ["c", "b", "a"])
        #expect(cache.value(for: "a") == 1)
        #expect(cache.keysByRecency == ["a", "c", "b"])
        cache.insert(4, for: "d", cost: 10)
        #expect(cache.keysByRecency == ["d", "a", "c"])
        #expect(cache.value(for: "b") == nil)
        #expect(cache.bytes == 30)
    }

    @Test("the total cost never passes the bound: a large value pushes out as many old ones as it needs")
    func boundedByBytes() {
        var cache = LeastRecentlyUsedCache<String, Int>(byteLimit: 30)
        for (index, key) in ["a", "b", "c"].enumerated() { cache.insert(index, for: key, cost: 10) }
        cache.insert(9, for: "e", cost: 25)
        #expect(cache.keysByRecency == ["e"])
        #expect(cache.bytes == 25)
        // Replacing a value counts its new cost, not both.
        cache.insert(10, for: "e", cost: 5)
        cache.insert(11, for: "f", cost: 20)
        #expect(cache.keysByRecency == ["f", "e"] && cache.bytes == 25)
        // A value larger than the whole bound is not kept, and what it replaces goes.
        cache.insert(12, for: "f", cost: 31)
        #expect(cache.keysByRecency == ["e"] && cache.bytes == 5 && cache.count == 1)
        // Slots are reused: the cache works on after many evictions.
        for index in 0..<1_000 { cache.insert(index, for: "k\(index)", cost: 3) }
        #expect(cache.count == 10 && cache.bytes == 30)
        #expect(cache.keysByRecency == (990..<1_000).reversed().map { "k\($0)" })
    }

    @Test("stacks are kept by their bytes: deep stacks with source context crowd out old ones, the hot one stays")
    func stacksCostTheirBytes() {
        let deep = Self.stack(frames: 60, contextLineLength: 400)
        let shallow = Self.stack(frames: 3, contextLineLength: 20)
        let deepCost = FrameCache<Int>.cost(of: deep)
        #expect(deepCost > deep.framesJSON.count)
        #expect(deepCost > 20 * FrameCache<Int>.cost(of: shallow))
        let cache = FrameCache<Int>(byteLimit: 3 * deepCost)
        cache.keep(shallow, for: 0)
        for key in 1...3 {
            cache.keep(deep, for: key)
            // The hot path is looked up between the others, so it is never the oldest.
            #expect(cache.stack(for: 0) === shallow)
        }
        let (keys, bytes) = cache.contents
        #expect(keys == [0, 3, 2])
        #expect(bytes <= 3 * deepCost)
    }

    /// A stack of `frames` frames, each with two lines of context before and after.
    static func stack(frames: Int, contextLineLength: Int) -> CapturedStack {
        let line = String(repeating: "x", count: contextLineLength)
        let made = (0..<frames).map { index in
            var frame = StackFrame(
                function: "Shop.checkout\(index)(basket:)", module: "Shop", fileName: "Checkout.swift",
                absolutePath: "/src/Shop/Checkout.swift", line: index + 1, instructionAddress: UInt64(index),
                inApp: true)
            frame.preContext = [line, line]
            frame.contextLine = line
            frame.postContext = [line, line]
            return frame
        }
        return CapturedStack(frames: made, omitted: 0, limit: Limiter(settings: RavenPlugin(stringMaxLength: 10_000)))
    }
}
