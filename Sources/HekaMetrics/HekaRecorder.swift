import CoreMetrics
import HekaClient

/// A recorder (and so a `Gauge`) that sends each recorded value as a `gauge` message through
/// the client's `gauge`: an integer without a decimal point, a double as Swift prints it.
///
/// heka-py has no distributions, so an aggregating recorder sends every value too; hekad's
/// StatFilter keeps a gauge's last value per interval.
final class HekaRecorder: RecorderHandler {
    private let label: String
    private let fields: Fields
    private let client: HekaClient

    init(identity: MetricIdentity, client: HekaClient) {
        label = identity.label
        fields = identity.fields
        self.client = client
    }

    func record(_ value: Int64) {
        client.gauge(label, value, fields: fields)
    }

    func record(_ value: Double) {
        client.gauge(label, value, fields: fields)
    }
}
