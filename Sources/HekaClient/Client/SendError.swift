import Streams

/// A message the client could not deliver. The client never throws these into the caller:
/// it counts them and hands them to its ``ErrorHandler``.
public struct SendError: Error, Sendable, CustomStringConvertible {
    /// Where the failure happened.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }

        /// The message could not be encoded (an empty field name, over the size limit).
        public static let encodingFailed = Code("encodingFailed")
        /// The stream refused the record.
        public static let writeFailed = Code("writeFailed")
        /// The stream reported a failure through its error handler rather than throwing it
        /// from `write` (a TCP writer's lost connection, one UDP destination of several
        /// refusing a record); the message type is not known then.
        public static let streamFailed = Code("streamFailed")
        /// `flush` or `close` did not finish in time.
        public static let flushFailed = Code("flushFailed")
        /// A producer that finishes messages on a background thread (the raven plugin, for a
        /// stack not seen before) had no room left in its queue; the message was never built.
        public static let dropped = Code("dropped")

        public var description: String { name }
    }

    /// Where the failure happened.
    public var code: Code
    /// The type of the message that failed, when known.
    public var messageType: String?
    /// The stream, as it describes itself (`udp://127.0.0.1:5565`).
    public var stream: String
    /// The encoder's or the stream's error.
    public var underlying: any Error & Sendable

    public init(code: Code, messageType: String?, stream: String, underlying: any Error & Sendable) {
        self.code = code
        self.messageType = messageType
        self.stream = stream
        self.underlying = underlying
    }

    public var description: String {
        let what = messageType.map { "a \($0.debugDescription) message" } ?? "messages"
        // A stream's errors start with the stream's name already; say it once.
        var detail = "\(underlying)"
        if detail.hasPrefix(stream + ": ") { detail.removeFirst(stream.count + 2) }
        switch code {
        case .encodingFailed: return "could not encode \(what) for \(stream): \(detail)"
        case .flushFailed: return "\(stream): \(detail)"
        default: return "could not send \(what) to \(stream): \(detail)"
        }
    }
}
