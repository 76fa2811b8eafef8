import HekaClient
import HekaPlatform

/// The aggregating counters of one factory: one ``AggregatingCounter`` per label and
/// dimensions, and the flush that sends their sums.
///
/// Its lock is taken to make, destroy and flush a counter, never to increment one.
final class CounterAggregator: Sendable {
    /// A destroyed counter that some `Counter` may still hold and increment.
    private struct Retired: Sendable {
        weak let counter: AggregatingCounter?
    }

    private struct Registry: Sendable {
        var counters: [MetricIdentity: AggregatingCounter] = [:]
        var retired: [Retired] = []
    }

    private let client: HekaClient
    private let registry = LockedValue(Registry())
    /// Held for a whole flush, so that two flushes (the interval's and an explicit one) send
    /// one after the other, each metric's message of one flush before those of the next.
    private let flushing = LockedValue(())

    init(client: HekaClient) {
        self.client = client
    }

    /// The counter of `identity`: the one already made, or a new one.
    func counter(_ identity: MetricIdentity) -> AggregatingCounter {
        registry.withLock { registry in
            if let counter = registry.counters[identity] { return counter }
            let counter = AggregatingCounter(identity: identity, client: client)
            registry.counters[identity] = counter
            return counter
        }
    }

    /// Forgets `counter` after sending its sum; a `Counter` that still holds it and
    /// increments it afterwards has those increments sent by later flushes while it lives,
    /// and when it is freed.
    func destroy(_ counter: AggregatingCounter) {
        registry.withLock { registry in
            guard registry.counters[counter.identity] === counter else { return }
            registry.counters[counter.identity] = nil
            registry.retired.append(Retired(counter: counter))
        }
        flushing.withLock { _ in counter.flush() }
    }

    /// Sends every counter's sum not sent yet: one `counter` message per metric whose sum is
    /// not zero.
    func flush() {
        flushing.withLock { _ in
            let counters = registry.withLock { registry in
                registry.retired.removeAll { $0.counter == nil }
                return Array(registry.counters.values) + registry.retired.compactMap(\.counter)
            }
            for counter in counters { counter.flush() }
        }
    }
}
