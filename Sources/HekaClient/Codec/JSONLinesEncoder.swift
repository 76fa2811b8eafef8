import Foundation

/// Encodes each message as one line of JSON, for people and for log shippers.
///
/// ```json
/// {"uuid":"1c36934f-2e05-47f0-9195-84784098e48b","timestamp":1400000000000000000,
///  "time":"2014-05-13T16:53:20.000000000Z","type":"ref.plain","logger":"refapp",
///  "severity":6,"payload":"hello heka","env_version":"0.8","pid":55,
///  "hostname":"localhost","fields":{"int":42,"float":3.5,"ok":true,"tags":["a","b"]}}
/// ```
/// (one line in reality). `fields` is an object in field order. A field is written plainly
/// (a value, or an array for several) when that reads back as the same field; otherwise,
/// for bytes, an empty array, a non-empty `representation`, or a NaN or infinite double,
/// as `{"type":"BYTES","value":[…],"representation":"…"}` with bytes in base64 and
/// non-finite doubles as the strings `NaN`, `Infinity`, `-Infinity`. Doubles are always
/// written with a `.` or an exponent, integers never, so the decoder tells them apart.
/// ``JSONLinesDecoder`` reads every line back into the same message.
///
/// INI: `encoder = json` (also `heka.encoders.JSONEncoder`). The stdout stream's default.
public struct JSONLinesEncoder: MessageEncoder, Hashable {
    public init() {}

    public func encode(_ message: Message) throws(CodecError) -> [UInt8] {
        try message.checkFieldNames()
        var out: [UInt8] = []
        out.reserveCapacity(256 + message.payload.utf8.count)
        message.jsonValue.write(to: &out)
        out.append(0x0A)
        return out
    }
}

extension Message {
    /// The JSON-lines object of this message.
    package var jsonValue: JSONValue {
        .object([
            ("uuid", .string(uuid.uuidString.lowercased())),
            ("timestamp", .integer(timestamp)),
            ("time", .string(RFC3339.format(nanoseconds: timestamp))),
            ("type", .string(type)),
            ("logger", .string(logger)),
            ("severity", .integer(severity.rawValue)),
            ("payload", .string(payload)),
            ("env_version", .string(envVersion)),
            ("pid", .integer(pid)),
            ("hostname", .string(hostname)),
            ("fields", .object(fields.map { ($0.name, $0.jsonValue) })),
        ])
    }
}

extension Field {
    /// The plain JSON form when it reads back as this field, else the typed object form.
    var jsonValue: JSONValue {
        let plain: [JSONValue]?
        switch value {
        case .strings(let v): plain = v.map { .string($0) }
        case .integers(let v): plain = v.map { .integer($0) }
        case .bools(let v): plain = v.map { .bool($0) }
        case .doubles(let v): plain = v.allSatisfy(\.isFinite) ? v.map { .double($0) } : nil
        case .bytes: plain = nil
        }
        if let plain, !plain.isEmpty, representation.isEmpty {
            return plain.count == 1 ? plain[0] : .array(plain)
        }
        let values: [JSONValue]
        switch value {
        case .bytes(let v): values = v.map { .string(Data($0).base64EncodedString()) }
        case .doubles(let v): values = v.map { $0.isFinite ? .double($0) : .string(Self.nonFiniteName($0)) }
        default: values = plain ?? []
        }
        var members: [(String, JSONValue)] = [("type", .string(value.valueType.description)), ("value", .array(values))]
        if !representation.isEmpty { members.append(("representation", .string(representation))) }
        return .object(members)
    }

    static func nonFiniteName(_ value: Double) -> String {
        value.isNaN ? "NaN" : value < 0 ? "-Infinity" : "Infinity"
    }
}
