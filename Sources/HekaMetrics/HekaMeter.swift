import CoreMetrics
import HekaClient
import Synchronization

/// A meter that keeps its value and sends it as a `gauge` message each time it changes.
///
/// `set` sends the value given (an integer without a decimal point); `increment` and
/// `decrement` change the value atomically and send the new one. As swift-metrics' own
/// meter, they ignore amounts that are NaN, infinite, negative or zero.
final class HekaMeter: MeterHandler {
    private let label: String
    private let fields: Fields
    private let client: HekaClient
    /// The value's bit pattern: `Atomic` has no `Double`.
    private let bits = Atomic<UInt64>(0)

    init(identity: MetricIdentity, client: HekaClient) {
        label = identity.label
        fields = identity.fields
        self.client = client
    }

    func set(_ value: Int64) {
        bits.store(Double(value).bitPattern, ordering: .relaxed)
        client.gauge(label, value, fields: fields)
    }

    func set(_ value: Double) {
        bits.store(value.bitPattern, ordering: .relaxed)
        client.gauge(label, value, fields: fields)
    }

    func increment(by amount: Double) {
        guard amount.isFinite, amount > 0 else { return }
        client.gauge(label, add(amount), fields: fields)
    }

    func decrement(by amount: Double) {
        guard amount.isFinite, amount > 0 else { return }
        client.gauge(label, add(-amount), fields: fields)
    }

    /// Adds `amount` to the value and returns the new value.
    private func add(_ amount: Double) -> Double {
        var old = bits.load(ordering: .relaxed)
        while true {
            let new = (Double(bitPattern: old) + amount).bitPattern
            let (exchanged, current) = bits.weakCompareExchange(
                expected: old, desired: new, successOrdering: .relaxed, failureOrdering: .relaxed)
            if exchanged { return Double(bitPattern: new) }
            old = current
        }
    }
}
