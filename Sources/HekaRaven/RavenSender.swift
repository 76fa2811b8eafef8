import Foundation
import HekaClient

/// Builds the event and the message, fits the record under the stream's limit and sends it.
///
/// A capture is made in two steps: ``prepare(text:error:extra:tags:)`` on the calling
/// thread fixes everything that belongs to the moment of the call (the message's id and
/// time, the error's description); ``send(_:stack:)`` adds the frames and sends, on the
/// calling thread when the stack was seen before, else on ``RavenWorker``.
struct RavenSender: Sendable {
    let client: HekaClient
    let settings: RavenPlugin

    /// A capture waiting for its frames.
    struct Capture: Sendable {
        var message: Message
        var event: SentryEvent
    }

    func prepare(text: String, error: (any Error)?, extra: [String: EventValue], tags: [String: String]) -> Capture {
        var message = client.message(
            type: settings.messageType, logger: settings.logger, severity: settings.severity,
            fields: fields(text: text))
        message.fields.append(Field(name: "epoch_timestamp", value: FieldValue(Double(message.timestamp) / 1e9)))
        var event = SentryEvent(
            eventID: hexString(withUnsafeBytes(of: message.uuid.uuid) { Array($0) }), text: text,
            level: SentryEvent.level(for: settings.severity), timestamp: Self.timestamp(message.timestamp),
            serverName: settings.serverName ?? message.hostname, logger: message.logger, frames: [],
            extra: extra.sorted { $0.key < $1.key }.map { ($0.key, $0.value) },
            tags: settings.tags.merging(tags) { $1 }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        if let error {
            let name = String(reflecting: type(of: error))
            if let dot = name.firstIndex(of: "."), !name.hasPrefix("(") {
                event.errorModule = String(name[..<dot])
                event.errorType = String(name[name.index(after: dot)...])
            } else {
                event.errorType = name
            }
            event.errorValue = String(describing: error)
        }
        return Capture(message: message, event: event)
    }

    /// Adds the stack's frames, packs the event, trims it until its record fits the stream,
    /// and sends it.
    func send(_ capture: Capture, stack: CapturedStack) {
        var (message, event) = (capture.message, capture.event)
        event.frames = stack.frames
        event.omitted = stack.omitted > 0 && stack.frames.count > 16 ? (after: 16, count: stack.omitted) : nil
        event.stack = stack
        var budget = EventBudget(settings: settings)
        var record: [UInt8]?
        var json: [UInt8] = []
        repeat {
            json.removeAll(keepingCapacity: true)
            let section = event.writeJSON(settings: budget.settings, dsn: settings.dsn, to: &json)
            let segment = stack.section(compressing: json[section])
            if segment.holds(json[section]) {
                message.payload = SentryPayload.pack(json, reusing: segment, at: section)
            } else {
                message.payload = SentryPayload.pack(json)  // trimmed: the section differs
            }
            record = try? client.encoder.encode(message)
            if let size = record?.count, size <= client.stream.maxRecordSize ?? Int.max { break }
        } while budget.trim(&event)
        if let record {
            client.send(message, encodedAs: record)  // over the stream's limit: refused and reported there
        } else {
            client.send(message)  // encodes again to report why it cannot be encoded
        }
    }

    /// `msg` (within the string limit), and `dsn` when one is configured.
    private func fields(text: String) -> Fields {
        var fields = [Field(name: "msg", value: FieldValue(Limiter(settings: settings).cut(text)))]
        if let dsn = settings.dsn { fields.append(Field(name: "dsn", value: FieldValue(dsn.text))) }
        return Fields(fields)
    }

    /// `YYYY-MM-DDTHH:MM:SSZ` in UTC: Sentry's timestamp, to the second.
    static func timestamp(_ nanoseconds: Int64) -> String {
        RFC3339.format(nanoseconds: nanoseconds, precision: .seconds)
    }
}
