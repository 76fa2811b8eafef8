import CoreMetrics
import HekaClient

/// A counter that sends every increment as its own `counter` message: what heka-py's `incr`
/// does, through the client's own `incr`.
final class PerIncrementCounter: CounterHandler {
    private let sender: MetricSender

    init(identity: MetricIdentity, client: HekaClient) {
        sender = MetricSender(identity: identity, client: client)
    }

    /// Sends one `counter` message with payload `amount`.
    func increment(by amount: Int64) {
        sender.client.incr(sender.label, count: Int(amount), fields: sender.fields)
    }

    /// Nothing to reset: every increment is already sent.
    func reset() {}
}
