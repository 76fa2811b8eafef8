import CoreMetrics
import HekaClient

/// A timer that sends each recorded duration as a `timer` message of whole milliseconds
/// (rounded to the nearest), through the client's `timerSend`: timers the client disables
/// (`disabled_timers`) send nothing.
final class HekaTimer: TimerHandler {
    private let sender: MetricSender

    init(identity: MetricIdentity, client: HekaClient) {
        sender = MetricSender(identity: identity, client: client)
    }

    func recordNanoseconds(_ duration: Int64) {
        sender.client.timerSend(sender.label, elapsed: .nanoseconds(duration), fields: sender.fields)
    }
}
