import HekaClient
import HekaRaven
import Logging

/// A swift-log handler that sends each log call as a Heka message through a `HekaClient`.
///
/// ```swift
/// let client = HekaClient(stream: try UdpStream(host: "127.0.0.1", port: 5565), logger: "shop")
/// LoggingSystem.bootstrap { label in HekaLogHandler(label: label, client: client) }
///
/// let logger = Logger(label: "shop.basket")
/// logger.info("basket saved", metadata: ["items": "3", "user": ["id": "42"]])
/// // type oldstyle, logger shop.basket, severity 6, payload "basket saved",
/// // fields items, user.id, file, line
/// ```
///
/// A call becomes one message:
/// - `type`: ``Configuration/messageType``, default `oldstyle` (heka-py's log lines);
/// - `logger`: the logger's label;
/// - `severity`: from the level: trace and debug 7, info 6, notice 5, warning 4, error 3,
///   critical 2;
/// - `payload`: the log message;
/// - fields: the metadata, merged as swift-log's own handlers merge it (the handler's
///   ``metadata``, then the ``metadataProvider``'s, then the call's, each later one
///   replacing a value of the same key), with the call's `error:` as `error.message` and
///   `error.type` (as swift-log's `StreamLogHandler` adds them), typed as
///   `Fields(metadata:)` says and sorted by name; then the call-site fields of
///   ``Configuration/sourceFields`` (by default `file` and `line`).
///
/// ``logLevel`` starts at the client's `severityThreshold` (`Logger.Level(threshold:)`), so
/// a call the client would drop is refused by swift-log before its message or metadata is
/// evaluated. The client's own threshold and filters still apply after the handler's. Like
/// every send, logging never throws: failures go to the client's error handler.
///
/// With ``Configuration/stackCapture`` switched on, some calls also send their stack
/// through the raven plugin; ``StackCapture`` says exactly what.
///
/// A value type, as swift-log wants: a copy (a `Logger` with changed metadata or level)
/// changes only itself; all copies share the client.
public struct HekaLogHandler: LogHandler {
    /// The logger's label: the messages' `logger`.
    public let label: String
    /// Where the messages go.
    public let client: HekaClient
    /// The messages' type, the call-site fields and the stack capture.
    public var configuration: Configuration
    /// The least severe level sent; default: the client's `severityThreshold` as a level.
    public var logLevel: Logger.Level
    /// Metadata read at each call (trace ids), replacing the handler's values of the same
    /// keys and replaced by the call's.
    public var metadataProvider: Logger.MetadataProvider?
    /// Metadata sent with every call of this logger.
    public var metadata: Logger.Metadata

    /// - Parameters:
    ///   - label: the logger's label, sent as the messages' `logger`.
    ///   - client: where the messages go.
    ///   - configuration: the messages' type, call-site fields and stack capture; default
    ///     ``Configuration/default``.
    ///   - metadataProvider: metadata read at each call; default the one given to
    ///     `LoggingSystem.bootstrap`, if any.
    public init(label: String, client: HekaClient, configuration: Configuration = .default,
                metadataProvider: Logger.MetadataProvider? = LoggingSystem.metadataProvider) {
        self.label = label
        self.client = client
        self.configuration = configuration
        self.logLevel = Logger.Level(threshold: client.severityThreshold)
        self.metadataProvider = metadataProvider
        self.metadata = [:]
    }

    /// The handler's metadata value for `key`.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Sends the call as a message (and its stack, when ``Configuration/stackCapture`` asks
    /// for it). swift-log calls this only for levels at or above ``logLevel``.
    public func log(event: LogEvent) {
        let severity = Severity(event.level)
        guard client.isEnabled(severity) else {
            // Below the client's threshold: heka() counts it as filtered and builds nothing.
            client.heka(type: configuration.messageType, severity: severity)
            return
        }
        let merged = mergedMetadata(of: event)
        var fields: [Field] = []
        fields.reserveCapacity(merged.count + 4)
        Fields.append(merged, to: &fields)
        appendSourceFields(of: event, to: &fields)
        client.heka(type: configuration.messageType, logger: label, severity: severity,
                    payload: event.message.description, fields: Fields(fields))
        let stackCapture = configuration.stackCapture
        guard stackCapture.minimumLevel != nil || stackCapture.whenErrorAttached else { return }
        let error = event.error ?? merged.sorted { $0.key < $1.key }.lazy.compactMap(\.value.error).first
        if stackCapture.captures(event.level, errorAttached: error != nil) {
            sendStack(of: event, error: error, metadata: merged)
        }
    }

    /// The handler's metadata, the provider's over it, the call's over that, and the call's
    /// error as `error.message` and `error.type`: swift-log's order.
    private func mergedMetadata(of event: LogEvent) -> Logger.Metadata {
        var merged = metadata
        if let provided = metadataProvider?.get(), !provided.isEmpty {
            if merged.isEmpty { merged = provided } else { merged.merge(provided) { $1 } }
        }
        if let explicit = event.metadata, !explicit.isEmpty {
            if merged.isEmpty { merged = explicit } else { merged.merge(explicit) { $1 } }
        }
        if let error = event.error {
            merged["error.message"] = .string(String(describing: error))
            merged["error.type"] = .string(String(reflecting: type(of: error)))
        }
        return merged
    }

    /// The call-site fields that ``Configuration/sourceFields`` names, after the metadata's
    /// `fields`, each unless the metadata has a field of that name. (The few metadata fields
    /// are compared by name rather than looked up in the dictionary: hashing the names
    /// cost more.)
    private func appendSourceFields(of event: LogEvent, to fields: inout [Field]) {
        let names = configuration.sourceFields
        let metadataCount = fields.count
        func append(_ name: String?, _ value: @autoclosure () -> FieldValue) {
            guard let name, !name.isEmpty, !fields[..<metadataCount].contains(where: { $0.name == name }) else { return }
            fields.append(Field(name: name, value: value()))
        }
        append(names.source, FieldValue(event.source))
        append(names.file, FieldValue(event.file))
        append(names.function, FieldValue(event.function))
        // Not `FieldValue(event.line)`: that generic initialiser, not specialised across the
        // module boundary, cost 80 ns (heka-bench row L1); the literal's is not generic.
        append(names.line, FieldValue(integerLiteral: Int64(event.line)))
    }

    /// The raven message of a call whose stack is captured: see ``StackCapture``.
    private func sendStack(of event: LogEvent, error: (any Error)?, metadata: Logger.Metadata) {
        var extra = [
            "logger": EventValue.string(label), "level": .string(event.level.rawValue),
            "source": .string(event.source), "file": .string(event.file), "function": .string(event.function),
            "line": .integer(Int(event.line)),
        ]
        for (key, value) in metadata { extra[key] = EventValue(value) }
        client.raven(event.message.description, error: error, extra: extra)
    }
}
