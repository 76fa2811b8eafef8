import HekaClient
import HekaInputs

extension UnpackedEvent {
    /// The lines `heka cat --format text --unpack` prints under the message, indented.
    var textLines: [String] {
        var lines: [String] = []
        var header = "event \(eventID ?? "?")"
        if let level = json["level"]?.scalarText { header += "  level \(Self.levelNames[level] ?? level)" }
        if let culprit { header += "  culprit \(culprit)" }
        lines.append(header)
        if let exception, let type = exception["type"]?.scalarText {
            lines.append("\(type): \(exception["value"]?.scalarText ?? "")")
        }
        for frame in frames.reversed() {
            let function = frame["function"]?.scalarText ?? "?"
            let file = frame["filename"]?.scalarText ?? frame["abs_path"]?.scalarText
            let location = file.map { file in frame["lineno"]?.scalarText.map { "\(file):\($0)" } ?? file }
            lines.append("  at \(function)" + (location.map { " (\($0))" } ?? ""))
            if frame["in_app"] == .bool(true), let context = frame["context_line"]?.scalarText {
                let number = frame["lineno"]?.scalarText ?? ""
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
