import HekaClient

/// What a metric that sends at once sends with: its label (the `name` field), its dimensions
/// as fields, and the client whose `incr`, `timerSend` and `gauge` build the messages.
struct MetricSender: Sendable {
    let label: String
    let fields: Fields
    let client: HekaClient

    init(identity: MetricIdentity, client: HekaClient) {
        label = identity.label
        fields = identity.fields
        self.client = client
    }
}
