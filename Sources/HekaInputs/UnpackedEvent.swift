import HekaClient
import HekaRaven

/// A Sentry event unpacked from a message's payload (base64 of zlib of JSON), as the raven
/// plugin and heka-py-raven pack it.
public struct UnpackedEvent: Sendable {
    /// The event's JSON.
    package let json: JSONValue
    /// The JSON text it was parsed from (`nil` for an event made from a value).
    package let text: [UInt8]?

    /// The message types whose payload is a packed event: the raven plugin's default and
    /// heka-py-raven's.
    public static let packedTypes: Set<String> = ["stacktrace", "sentry"]

    /// The most bytes a payload may inflate to (Sentry itself refuses events over 1 MiB).
    public static let defaultLimit = 1 << 20

    /// Why a payload is not a packed event.
    public struct Failure: Error, Sendable, Hashable, CustomStringConvertible {
        /// Which step refused it.
        public enum Kind: String, Sendable {
            case notBase64 = "not base64"
            case notZlib = "not zlib"
            case tooLarge = "too large"
            case notJSON = "not JSON"
        }

        /// Which step refused it.
        public var kind: Kind
        /// What that step said.
        public var description: String
    }

    /// The event in `message`'s payload when the message is a stack trace (a type in
    /// ``packedTypes``, or any type with `anyType`); `nil` when it is not one or its payload
    /// is not a packed event. Other messages' payloads are never inflated.
    public init?(_ message: Message, anyType: Bool = false) {
        guard anyType || Self.packedTypes.contains(message.type),
            let event = try? UnpackedEvent(unpacking: message.payload)
        else { return nil }
        self = event
    }

    /// Unpacks `payload`: base64, then inflate (refused above `limit` bytes, so that a zip
    /// bomb stops there), then JSON, which must be an object.
    public init(unpacking payload: String, limit: Int = defaultLimit) throws(Failure) {
        // zlib streams start with 0x78, so their base64 starts with "e".
        guard payload.hasPrefix("e") else {
            throw Failure(kind: payload.isEmpty ? .notBase64 : .notZlib, description: "the payload is not base64 of a zlib stream")
        }
        let bytes: [UInt8]
        do {
            bytes = try SentryPayload.unpack(payload, limit: limit)
        } catch {
            let kind: Failure.Kind = error.description.contains("base64") ? .notBase64
                : error.description.contains("beyond") ? .tooLarge : .notZlib
            throw Failure(kind: kind, description: error.description)
        }
        do {
            let json = try JSONParser.parse(bytes)
            guard case .object = json else { throw Failure(kind: .notJSON, description: "the event is not a JSON object") }
            self.json = json
            text = bytes
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure(kind: .notJSON, description: "the event is not JSON: \(error)")
        }
    }

    /// An event around `json`, a JSON object.
    package init(json: JSONValue) {
        self.json = json
        text = nil
    }

    /// Sentry's levels, which raven sends as Python logging's numbers.
    package static let levelNames = ["10": "debug", "20": "info", "30": "warning", "40": "error", "50": "fatal"]

    /// The event's id.
    public var eventID: String? { json["event_id"]?.scalarText }
    /// The grouping checksum raven computed.
    public var checksum: String? { json["checksum"]?.scalarText }
    /// Where the error happened, as raven names it.
    public var culprit: String? { json["culprit"]?.scalarText }
    /// The event's message.
    public var title: String? { json["message"]?.scalarText }

    /// The exception: the last of `exception.values`, else raven's older interface.
    package var exception: JSONValue? {
        if case .array(let values)? = json["exception"]?["values"], let last = values.last { return last }
        if case .array(let values)? = json["sentry.interfaces.Exception"] { return values.last }
        return json["sentry.interfaces.Exception"]
    }

    /// The frames, oldest first, from wherever the event keeps them.
    package var frames: [JSONValue] {
        for candidate in [exception?["stacktrace"], json["sentry.interfaces.Stacktrace"], json["stacktrace"]] {
            if case .array(let frames)? = candidate?["frames"] { return frames }
        }
        return []
    }
}
