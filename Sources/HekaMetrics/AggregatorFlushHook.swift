import HekaClient
import Streams

/// Lets a client's `flush` and `close` send the sums first, without the client keeping the
/// factory's counters alive: the client holds this hook, the hook only a weak reference.
final class AggregatorFlushHook: PendingWork {
    private weak let aggregator: CounterAggregator?

    init(_ aggregator: CounterAggregator) {
        self.aggregator = aggregator
    }

    /// Sends the sums through `client`; the sends are synchronous, so nothing is left to wait
    /// for and `timeout` is not needed.
    func finish(for client: HekaClient, timeout: Duration) throws(StreamError) {
        aggregator?.flush()
    }
}
