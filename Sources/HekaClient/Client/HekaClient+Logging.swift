// heka-py's emulation of Python's logging API: messages of type `oldstyle` whose payload is
// the log line.

extension HekaClient {
    /// The message type of the logging calls.
    public static let oldstyleType = "oldstyle"

    /// Sends a log line at severity 7 (debug).
    public func debug(_ line: String, fields: Fields = Fields()) { oldstyle(.debug, line, fields) }
    /// Sends a log line at severity 6 (informational).
    public func info(_ line: String, fields: Fields = Fields()) { oldstyle(.informational, line, fields) }
    /// Sends a log line at severity 4 (warning).
    public func warn(_ line: String, fields: Fields = Fields()) { oldstyle(.warning, line, fields) }
    /// Sends a log line at severity 3 (error).
    public func error(_ line: String, fields: Fields = Fields()) { oldstyle(.error, line, fields) }
    /// Sends a log line at severity 2 (critical).
    public func critical(_ line: String, fields: Fields = Fields()) { oldstyle(.critical, line, fields) }

    /// Sends an error at severity 1 (alert), as heka-py's `exception()` does: the payload is
    /// `message` (when given) and the error's description on the next line; the error's
    /// type goes in the field `error_type`.
    public func exception(_ error: any Error, message: String? = nil, fields: Fields = Fields()) {
        var fields = fields
        fields.append("error_type", .value(FieldValue(String(reflecting: Swift.type(of: error)))))
        let description = String(describing: error)
        oldstyle(.alert, message.map { "\($0)\n\(description)" } ?? description, fields)
    }

    private func oldstyle(_ severity: Severity, _ line: String, _ fields: Fields) {
        heka(type: Self.oldstyleType, severity: severity, payload: line, fields: fields)
    }
}
