import CoreMetrics
import HekaClient
import Synchronization

/// A counter whose increments are summed in the process and sent as one `counter` message
/// per flush.
///
/// The increment path is one relaxed atomic add on this metric's own sum: no lock, and
/// threads counting other metrics never touch this one's cache line. A flush exchanges the
/// sum for zero (so an increment lands either in this flush or in the next, never in both
/// nor in neither) and sends it with `rate` 1.
///
/// Why rate 1: hekad's StatFilter reads the `name` field and the payload and ignores `rate`
/// (it never scales by 1/rate); heka-py's `rate` tells a reader that a sampled counter's
/// payload stands for 1/rate as many events. An aggregated sum is not a sample: it is every
/// increment of the interval, so 1 is the true rate and StatFilter's sum is exact.
final class AggregatingCounter: CounterHandler {
    let identity: MetricIdentity
    private let fields: Fields
    private let client: HekaClient
    private let pending = Atomic<Int64>(0)

    init(identity: MetricIdentity, client: HekaClient) {
        self.identity = identity
        fields = identity.fields
        self.client = client
    }

    /// Adds `amount` to the sum not sent yet (wrapping, as the sum of many `Int64`s may).
    func increment(by amount: Int64) {
        pending.wrappingAdd(amount, ordering: .relaxed)
    }

    /// Drops the sum not sent yet: what was sent is sent.
    func reset() {
        pending.store(0, ordering: .relaxed)
    }

    /// Sends the sum not sent yet as one `counter` message, unless it is zero.
    func flush() {
        let sum = pending.exchange(0, ordering: .relaxed)
        guard sum != 0 else { return }
        client.incr(identity.label, count: Int(sum), rate: 1, fields: fields)
    }

    /// A counter dropped after ``HekaMetricsFactory/destroyCounter(_:)`` with increments
    /// made since still sends them.
    deinit {
        flush()
    }
}
