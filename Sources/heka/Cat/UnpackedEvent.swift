import HekaClient
import HekaRaven

/// A Sentry event unpacked from a message's payload (base64 of zlib of JSON), as the raven
/// plugin and heka-py-raven pack it, with what `heka cat` shows of it.
struct UnpackedEvent {
    /// The event's JSON.
    let json: JSONValue

    /// The event in `message`'s payload, or `nil` when the payload is not a packed event.
    init?(_ message: Message) {
        // zlib streams start with 0x78, so their base64 starts with "e".
        guard message.payload.hasPrefix("e"), let bytes = try? SentryPayload.unpack(message.payload),
            let json = try? JSONParser.parse(bytes), case .object = json
        else { return nil }
        self.json = json
    }

    /// Sentry's levels, which raven sends as Python logging's numbers.
    private static let levelNames = ["10": "debug", "20": "info", "30": "warning", "40": "error", "50": "fatal"]

    var eventID: String? { json["event_id"]?.text }
    var checksum: String? { json["checksum"]?.text }
    var culprit: String? { json["culprit"]?.text }
    var title: String? { json["message"]?.text }

    /// The exception: the last of `exception.values`, else raven's older interface.
    private var exception: JSONValue? {
        if case .array(let values)? = json["exception"]?["values"], let last = values.last { return last }
        if case .array(let values)? = json["sentry.interfaces.Exception"] { return values.last }
        return json["sentry.interfaces.Exception"]
    }

    /// The frames, oldest first, from wherever the event keeps them.
    var frames: [JSONValue] {
        for candidate in [exception?["stacktrace"], json["sentry.interfaces.Stacktrace"], json["stacktrace"]] {
            if case .array(let frames)? = candidate?["frames"] { return frames }
        }
        return []
    }

    /// The lines `heka cat --format text --unpack` prints under the message, indented.
    var textLines: [String] {
        var lines: [String] = []
        var header = "event \(eventID ?? "?")"
        if let level = json["level"]?.text { header += "  level \(Self.levelNames[level] ?? level)" }
        if let culprit { header += "  culprit \(culprit)" }
        lines.append(header)
        if let exception, let type = exception["type"]?.text {
            lines.append("\(type): \(exception["value"]?.text ?? "")")
        }
        for frame in frames.reversed() {
            let function = frame["function"]?.text ?? "?"
            let file = frame["filename"]?.text ?? frame["abs_path"]?.text
            let location = file.map { file in frame["lineno"]?.text.map { "\(file):\($0)" } ?? file }
            lines.append("  at \(function)" + (location.map { " (\($0))" } ?? ""))
            if frame["in_app"] == .bool(true), let context = frame["context_line"]?.text {
                let number = frame["lineno"]?.text ?? ""
                lines.append("       \(number) | \(context.trimmingWhitespace)")
            }
        }
        for key in ["extra", "tags"] {
            guard case .object(let members)? = json[key], !members.isEmpty else { continue }
            lines.append("\(key): " + members.map { "\($0.0)=\(TextValue.quoted($0.1.compactText))" }.joined(separator: " "))
        }
        return lines
    }
}

extension JSONValue {
    /// A string as it is, a number or bool as written, else nil.
    var text: String? {
        switch self {
        case .string(let text), .number(let text): text
        case .bool(let flag): String(flag)
        default: nil
        }
    }

    /// The value's text if it has one, else its compact JSON.
    var compactText: String {
        if let text { return text }
        var out: [UInt8] = []
        write(to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}

extension String {
    var trimmingWhitespaceAtEnd: String {
        var text = self
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return text
    }
}
