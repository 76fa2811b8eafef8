import CoreMetrics
import HekaClient

/// A timer that sends each recorded duration as a `timer` message of whole milliseconds
/// (rounded to the nearest), through the client's `timerSend`: timers the client disables
/// (`disabled_timers`) send nothing.
final class HekaTimer: TimerHandler {
    private let label: String
    private let fields: Fields
    private let client: HekaClient

    init(identity: MetricIdentity, client: HekaClient) {
        label = identity.label
        fields = identity.fields
        self.client = client
    }

    func recordNanoseconds(_ duration: Int64) {
        client.timerSend(label, elapsed: .nanoseconds(duration), fields: fields)
    }
}
