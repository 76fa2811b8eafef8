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
        var payloadLines = payload.split(separator: "\n", omittingEmptySubsequences: false).map(ControlCharacters.escaped)
        let first = payloadLines.isEmpty ? "" : payloadLines.removeFirst()
        let type = ControlCharacters.escaped(message.type), logger = ControlCharacters.escaped(message.logger)
        var text = "\(message.timeText) \(message.severity.name) \(type) (\(logger)) \(first)"
            .trimmingWhitespaceAtEnd
        for line in payloadLines { text += "\n    \(line)" }
        if !message.fields.isEmpty {
            let shown = event == nil ? message.fields : message.fields.filter { $0.name != "msg" }
            if !shown.isEmpty {
                text += "\n    " + shown.map { "\(ControlCharacters.escaped($0.name))=\(TextValue.field($0))" }
                    .joined(separator: " ")
            }
        }
        for line in event?.textLines ?? [] {
            for part in line.split(separator: "\n", omittingEmptySubsequences: false) {
                text += "\n    \(ControlCharacters.escaped(part))"
            }
        }
        return text + "\n"
    }
}

/// Secrets in the messages `heka cat` prints: the `dsn` field's values are shown as a
/// DSN's description (the secret key and secret options masked), in every format.
enum SecretMasking {
    /// `message` with its `dsn` fields' string values masked; unchanged when it has none.
    static func masked(_ message: Message) -> Message {
        guard message.fields.contains(where: { $0.name == "dsn" }) else { return message }
        var shown = message
        shown.fields = message.fields.map { masked($0) }
        return shown
    }

    /// A `dsn` field with its string values masked; any other field unchanged.
    static func masked(_ field: Field) -> Field {
        guard field.name == "dsn", let values = field.value.strings else { return field }
        var shown = field
        shown.value = .strings(values.map(maskedDSN))
        return shown
    }

    /// A DSN's description, or for text that is no DSN the text with any URL password and
    /// secret query values masked.
    static func maskedDSN(_ text: String) -> String {
        (try? SentryDSN(parsing: text))?.description ?? RedactionPolicy.maskingURLPassword(text)
    }
}

/// Values written so that they read unambiguously on one line.
enum TextValue {
    /// One value as it is, or several as `[a, b]`; a Sentry DSN's secret masked.
    static func field(_ field: Field) -> String {
        let isString = field.value.valueType == .string
        let texts = SecretMasking.masked(field).value.textValues.map { isString ? quoted($0) : ControlCharacters.escaped($0) }
        return texts.count == 1 ? texts[0] : "[" + texts.joined(separator: ", ") + "]"
    }

    /// Text in quotes when it is empty or has spaces, quotes, `=`, brackets or commas.
    static func quoted(_ text: String) -> String {
        let plain = !text.isEmpty && !text.contains { $0.isWhitespace || "\"'=[],\\".contains($0) }
        return ControlCharacters.escaped(plain ? text : text.debugDescription)
    }
}
