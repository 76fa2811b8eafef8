import HekaClient

/// Sentry's envelope: a header line, then each item's header line and payload.
public enum Envelope {
    /// The envelope of one event: `{"event_id":…,"dsn":…,"sent_at":…}\n`,
    /// `{"type":"event","length":N}\n`, the event's N bytes, `\n`.
    public static func event(_ json: [UInt8], eventID: String, dsn: String, sentAt: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(json.count + 160)
        JSONValue.object([
            ("event_id", .string(eventID)), ("dsn", .string(dsn)), ("sent_at", .string(sentAt)),
        ]).write(to: &out)
        out.append(0x0A)
        JSONValue.object([("type", .string("event")), ("length", .integer(json.count))]).write(to: &out)
        out.append(0x0A)
        out += json
        out.append(0x0A)
        return out
    }
}
