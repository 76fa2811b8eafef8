import Foundation
import HekaClient
import HekaInputs
import HekaRaven

/// One Sentry event made from a Heka message, ready to be spooled and sent.
public struct RelayEvent: Sendable, Equatable {
    /// The DSN it goes to (with its secret, for the auth header).
    public var dsn: String
    /// The event's id: 32 lowercase hex digits.
    public var eventID: String
    /// The event's JSON.
    public var json: [UInt8]

    /// An event of `json` with id `eventID`, for `dsn`.
    public init(dsn: String, eventID: String, json: [UInt8]) {
        self.dsn = dsn
        self.eventID = eventID
        self.json = json
    }
}

/// Turns Heka messages into Sentry events: a stack-trace message's packed event as it is
/// (its legacy `sentry.interfaces.*` keys upgraded), an error-level log message into a
/// message event.
public struct EventConverter: Sendable {
    /// The messages that become message events (stack-trace messages always convert).
    public var logMatcher: MessageMatcher?
    /// The DSN of messages without a `dsn` field.
    public var defaultDSN: SentryDSN?
    /// The most bytes a packed event may inflate to.
    public var unpackLimit = UnpackedEvent.defaultLimit

    /// The default selection of log messages: errors and worse that are not stack traces.
    public static let defaultMatch = "Severity <= 3 && Type != 'stacktrace' && Type != 'sentry'"

    /// A converter selecting log messages with `logMatcher` (`nil`: none), sending to
    /// `defaultDSN` what names no DSN.
    public init(logMatcher: MessageMatcher?, defaultDSN: SentryDSN?) {
        self.logMatcher = logMatcher
        self.defaultDSN = defaultDSN
    }

    /// What became of one message.
    public enum Outcome: Sendable, Equatable {
        /// An event to send.
        case event(RelayEvent)
        /// Not selected: neither a stack trace nor a matching log message.
        case skipped
        /// Selected, but it cannot be sent: why, naming the message.
        case refused(Refusal)
    }

    /// Why a selected message cannot become an event.
    public struct Refusal: Sendable, Equatable, CustomStringConvertible {
        /// The kind of refusal, for the counters.
        public enum Kind: String, Sendable {
            case noDestination = "no DSN"
            case badDSN = "bad DSN"
            case badPayload = "bad payload"
        }

        /// The kind of refusal.
        public var kind: Kind
        /// What was wrong, naming the message.
        public var description: String
    }

    /// Converts `message`.
    public func convert(_ message: Message) -> Outcome {
        let isStackTrace = UnpackedEvent.packedTypes.contains(message.type)
        guard isStackTrace || logMatcher?.matches(message) == true else { return .skipped }
        let name = "message \(message.uuid.uuidString.lowercased()) (type \(message.type))"
        let dsn: SentryDSN
        if let text = message.fields.first(where: { $0.name == "dsn" })?.value.string, !text.isEmpty {
            do {
                dsn = try SentryDSN(parsing: text)
            } catch {
                return .refused(Refusal(kind: .badDSN, description: "\(name): its dsn field is not a DSN: \(error)"))
            }
        } else if let defaultDSN {
            dsn = defaultDSN
        } else {
            return .refused(Refusal(kind: .noDestination, description: "\(name): no dsn field and no --dsn"))
        }
        guard dsn.scheme == "http" || dsn.scheme == "https" else {
            return .refused(Refusal(kind: .badDSN, description: "\(name): its DSN is \(dsn.scheme), not http or https"))
        }
        var json: JSONValue
        // The event's text, as long as nothing in it has to change.
        var text: [UInt8]?
        if isStackTrace {
            do {
                let unpacked = try UnpackedEvent(unpacking: message.payload, limit: unpackLimit)
                if LegacyUpgrade.isNeeded(unpacked.json) {
                    json = LegacyUpgrade.upgrade(unpacked.json)
                } else {
                    json = unpacked.json
                    text = unpacked.text
                }
            } catch {
                return .refused(Refusal(kind: .badPayload, description: "\(name): payload \(error.kind.rawValue): \(error)"))
            }
        } else {
            json = Self.logEvent(message)
        }
        let (eventID, changed) = Self.ensureEventID(&json, message: message)
        if changed || text == nil {
            var bytes: [UInt8] = []
            json.write(to: &bytes)
            text = bytes
        }
        return .event(RelayEvent(dsn: dsn.text, eventID: eventID, json: text ?? []))
    }

    /// The event's id as Sentry wants it (32 lowercase hex digits), from the event or, when
    /// it has none, from the message's uuid; written back into the event when it was not
    /// in that form (`changed`).
    static func ensureEventID(_ json: inout JSONValue, message: Message) -> (id: String, changed: Bool) {
        func isEventID(_ text: String) -> Bool {
            text.utf8.count == 32 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
        }
        if case .string(let given)? = json["event_id"], isEventID(given) { return (given, false) }
        let given = json["event_id"]?.scalarText.map { $0.replacingOccurrences(of: "-", with: "").lowercased() }
        let id = given.flatMap { isEventID($0) ? $0 : nil }
            ?? eventID(of: message)
        json = json.setting("event_id", to: .string(id))
        return (id, true)
    }

    /// The message's uuid as an event id: 32 lowercase hex digits.
    static func eventID(of message: Message) -> String {
        message.uuid.uuidString.replacingOccurrences(of: "-", with: "").lowercased()
    }

    /// Sentry's level for a syslog severity.
    public static func level(for severity: Severity) -> String {
        switch severity.rawValue {
        case ...2: "fatal"
        case 3: "error"
        case 4: "warning"
        case 5, 6: "info"
        default: "debug"
        }
    }

    /// A message event for a log message: the payload as the message, the level from the
    /// severity, the host as `server_name`, the logger, the fields as `extra` (the `dsn`
    /// field left out), the message's type and pid as tags.
    static func logEvent(_ message: Message) -> JSONValue {
        var extra: [(String, JSONValue)] = []
        if case .object(let fields)? = message.jsonValue["fields"] {
            extra = fields.filter { $0.0 != "dsn" }
        }
        var tags: [(String, JSONValue)] = [("heka_type", .string(message.type))]
        if !message.envVersion.isEmpty { tags.append(("heka_env_version", .string(message.envVersion))) }
        var members: [(String, JSONValue)] = [
            ("event_id", .string(eventID(of: message))),
            ("timestamp", .double(Double(message.timestamp) / 1e9)),
            ("level", .string(level(for: message.severity))),
            ("platform", .string("other")),
            ("logentry", .object([("formatted", .string(message.payload))])),
            ("tags", .object(tags)),
            ("extra", .object(extra + [("heka_pid", .integer(message.pid))])),
        ]
        if !message.logger.isEmpty { members.append(("logger", .string(message.logger))) }
        if !message.hostname.isEmpty { members.append(("server_name", .string(message.hostname))) }
        return .object(members)
    }
}

extension JSONValue {
    /// The object with `key` set to `value` (replacing the first such member, else appended).
    package func setting(_ key: String, to value: JSONValue) -> JSONValue {
        guard case .object(var members) = self else { return self }
        if let index = members.firstIndex(where: { $0.0 == key }) {
            members[index].1 = value
        } else {
            members.append((key, value))
        }
        return .object(members)
    }
}
