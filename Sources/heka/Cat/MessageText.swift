import HekaClient
import HekaInputs
import HekaRaven

/// The `--format text` form of a message, for people:
///
///     2026-11-21T10:04:05.120000000Z warning heka.send (heka-send) disk /var is 91% full
///         status=200 route="GET /" tags=[web, demo]
///
/// A payload of several lines continues on indented lines; fields follow on one line; an
/// unpacked stack trace shows its event below.
enum MessageText {
    /// - Parameters:
    ///   - event: the unpacked event, shown instead of the payload.
    ///   - packed: the payload is a packed event not unpacked: say so instead of showing it.
    static func render(_ message: Message, event: UnpackedEvent?, packed: Bool = false) -> String {
        let payload = event?.title
            ?? (packed ? "<packed Sentry event of \(message.payload.utf8.count) bytes; --unpack shows it>" : message.payload)
        var payloadLines = payload.split(separator: "\n", omittingEmptySubsequences: false)
        let first = payloadLines.isEmpty ? "" : String(payloadLines.removeFirst())
        var text = "\(message.timeText) \(message.severity.name) \(message.type) (\(message.logger)) \(first)"
            .trimmingWhitespaceAtEnd
        for line in payloadLines { text += "\n    \(line)" }
        if !message.fields.isEmpty {
            let shown = event == nil ? message.fields : message.fields.filter { $0.name != "msg" }
            if !shown.isEmpty {
                text += "\n    " + shown.map { "\($0.name)=\(TextValue.field($0))" }.joined(separator: " ")
            }
        }
        for line in event?.textLines ?? [] { text += "\n    \(line)" }
        return text + "\n"
    }
}

/// Values written so that they read unambiguously on one line.
enum TextValue {
    /// One value as it is, or several as `[a, b]`; a Sentry DSN's secret masked.
    static func field(_ field: Field) -> String {
        let value = field.value
        var texts = value.textValues.map { value.valueType == .string ? quoted($0) : $0 }
        if field.name == "dsn", let text = value.string, let dsn = try? SentryDSN(parsing: text) {
            texts[0] = quoted(dsn.description)
        }
        return texts.count == 1 ? texts[0] : "[" + texts.joined(separator: ", ") + "]"
    }

    /// Text in quotes when it is empty or has spaces, quotes, `=`, brackets or commas.
    static func quoted(_ text: String) -> String {
        let plain = !text.isEmpty && !text.contains { $0.isWhitespace || "\"'=[],\\".contains($0) }
        return plain ? text : text.debugDescription
    }
}
