import Foundation

/// One Heka message: the unit that hekad routes, filters and stores.
///
/// The client fills ``uuid``, ``timestamp``, ``pid``, ``hostname`` and ``envVersion``; a
/// caller sets the rest. The wire form is the protobuf `message.Message` of Mozilla Heka
/// (see `Protos/message.proto`); ``ProtobufEncoder`` and ``JSONLinesEncoder`` write it.
public struct Message: Sendable, Hashable {
    /// heka-py's and this client's `env_version`.
    public static let defaultEnvVersion = "0.8"

    /// A unique id; the client makes a random (version 4) UUID.
    public var uuid: UUID
    /// Nanoseconds since the Unix epoch.
    public var timestamp: Int64
    /// What kind of message this is: `counter`, `timer`, `oldstyle`, `stacktrace`, or your own.
    public var type: String
    /// Who sent it; the client's logger name by default.
    public var logger: String
    /// How severe it is.
    public var severity: Severity
    /// Free text: a log line, a counter's count, a packed Sentry event.
    public var payload: String
    /// The message format version, `0.8`.
    public var envVersion: String
    /// The sending process's id.
    public var pid: Int32
    /// The sending machine's host name.
    public var hostname: String
    /// Typed, named values, in order.
    public var fields: [Field]

    public init(
        uuid: UUID = UUID(), timestamp: Int64 = 0, type: String = "", logger: String = "",
        severity: Severity = .debug, payload: String = "",
        envVersion: String = Message.defaultEnvVersion, pid: Int32 = 0, hostname: String = "",
        fields: [Field] = []
    ) {
        self.uuid = uuid
        self.timestamp = timestamp
        self.type = type
        self.logger = logger
        self.severity = severity
        self.payload = payload
        self.envVersion = envVersion
        self.pid = pid
        self.hostname = hostname
        self.fields = fields
    }

    /// The all-zero UUID decoders start from before they read the real one (making a random
    /// one just to overwrite it would cost more than the rest of the decode).
    static let unsetUUID = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))

    /// The first field with this name.
    public func field(_ name: String) -> FieldValue? { fields.first { $0.name == name }?.value }

    /// The timestamp as a `Date` (to the precision a `Date` keeps).
    public var date: Date { Date(timeIntervalSince1970: Double(timestamp) / 1e9) }
}

/// Another name for ``Message``, for files that also import a module with a `Message` of its
/// own (SwiftProtobuf has one). `HekaClient.Message` does not work there, because the
/// module and its main class share the name `HekaClient`.
public typealias HekaMessage = Message
