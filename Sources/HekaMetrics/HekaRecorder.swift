import CoreMetrics
import HekaClient

/// A recorder (and so a `Gauge`) that sends each recorded value as a `gauge` message through
/// the client's `gauge`: an integer without a decimal point, a double as Swift prints it.
///
/// heka-py has no distributions, so an aggregating recorder sends every value too; hekad's
/// StatFilter keeps a gauge's last value per interval.
final class HekaRecorder: RecorderHandler {
    private let sender: MetricSender

    init(identity: MetricIdentity, client: HekaClient) {
        sender = MetricSender(identity: identity, client: client)
    }

    func record(_ value: Int64) {
        sender.client.gauge(sender.label, value, fields: sender.fields)
    }

    func record(_ value: Double) {
        sender.client.gauge(sender.label, value, fields: sender.fields)
    }
}
