import HekaClient

/// Sentry's envelope: a header line, then each item's header line and payload (for an
/// event, its JSON and a newline, which ``PackedEvent`` keeps).
public enum Envelope {
    /// What comes before an event of `length` bytes in its envelope:
    /// `{"event_id":…,"dsn":…,"sent_at":…}\n{"type":"event","length":N}\n`.
    public static func head(eventID: String, dsn: String, sentAt: String, length: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(160)
        JSONValue.object([
            ("event_id", .string(eventID)), ("dsn", .string(dsn)), ("sent_at", .string(sentAt)),
        ]).write(to: &out)
        out.append(0x0A)
        JSONValue.object([("type", .string("event")), ("length", .integer(length))]).write(to: &out)
        out.append(0x0A)
        return out
    }
}
