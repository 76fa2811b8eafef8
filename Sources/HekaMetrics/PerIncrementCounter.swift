import CoreMetrics
import HekaClient

/// A counter that sends every increment as its own `counter` message: what heka-py's `incr`
/// does, through the client's own `incr`.
final class PerIncrementCounter: CounterHandler {
    private let label: String
    private let fields: Fields
    private let client: HekaClient

    init(identity: MetricIdentity, client: HekaClient) {
        label = identity.label
        fields = identity.fields
        self.client = client
    }

    /// Sends one `counter` message with payload `amount`.
    func increment(by amount: Int64) {
        client.incr(label, count: Int(amount), fields: fields)
    }

    /// Nothing to reset: every increment is already sent.
    func reset() {}
}
