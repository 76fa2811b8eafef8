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
        out.reserveCapacity(240 + message.payload.utf8.count + 40 * message.fields.count)
        message.writeJSON(to: &out)
        out.append(0x0A)
        return out
    }
}

extension Message {
    /// The JSON-lines object of this message (what ``JSONLinesEncoder`` writes, read back).
    package var jsonValue: JSONValue {
        var out: [UInt8] = []
        writeJSON(to: &out)
        // The parser reads anything the writer writes; the fallback is never taken.
        return (try? JSONParser.parse(out)) ?? .object([])
    }

    /// Writes the JSON-lines object straight into bytes, in the documented key order.
    func writeJSON(to out: inout [UInt8]) {
        JSONValue.writeLiteral(#"{"uuid":""#, to: &out)
        Self.writeUUID(uuid, to: &out)
        JSONValue.writeLiteral(#"","timestamp":"#, to: &out)
        JSONValue.writeInteger(timestamp, to: &out)
        JSONValue.writeLiteral(#","time":""#, to: &out)
        RFC3339.write(nanoseconds: timestamp, to: &out)
        JSONValue.writeLiteral(#"","type":"#, to: &out)
        JSONValue.writeString(type, to: &out)
        JSONValue.writeLiteral(#","logger":"#, to: &out)
        JSONValue.writeString(logger, to: &out)
        JSONValue.writeLiteral(#","severity":"#, to: &out)
        JSONValue.writeInteger(severity.rawValue, to: &out)
        JSONValue.writeLiteral(#","payload":"#, to: &out)
        JSONValue.writeString(payload, to: &out)
        JSONValue.writeLiteral(#","env_version":"#, to: &out)
        JSONValue.writeString(envVersion, to: &out)
        JSONValue.writeLiteral(#","pid":"#, to: &out)
        JSONValue.writeInteger(pid, to: &out)
        JSONValue.writeLiteral(#","hostname":"#, to: &out)
        JSONValue.writeString(hostname, to: &out)
        JSONValue.writeLiteral(#","fields":{"#, to: &out)
        for (index, field) in fields.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            JSONValue.writeString(field.name, to: &out)
            out.append(UInt8(ascii: ":"))
            field.writeJSON(to: &out)
        }
        JSONValue.writeLiteral("}}", to: &out)
    }

    /// The uuid in lowercase, `8-4-4-4-12` hex digits.
    private static func writeUUID(_ uuid: UUID, to out: inout [UInt8]) {
        withUnsafeBytes(of: uuid.uuid) { bytes in
            for (index, byte) in bytes.enumerated() {
                if index == 4 || index == 6 || index == 8 || index == 10 { out.append(UInt8(ascii: "-")) }
                out.append(JSONValue.hexDigit(byte >> 4))
                out.append(JSONValue.hexDigit(byte & 0xF))
            }
        }
    }
}

extension Field {
    /// The plain JSON form when it reads back as this field, else the typed object form.
    func writeJSON(to out: inout [UInt8]) {
        let count = value.count
        if representation.isEmpty && count > 0 && value.hasPlainJSONForm {
            if count > 1 { out.append(UInt8(ascii: "[")) }
            value.writeJSONValues(to: &out)
            if count > 1 { out.append(UInt8(ascii: "]")) }
            return
        }
        JSONValue.writeLiteral(#"{"type":""#, to: &out)
        out.append(contentsOf: value.valueType.description.utf8)
        JSONValue.writeLiteral(#"","value":["#, to: &out)
        value.writeJSONValues(to: &out)
        out.append(UInt8(ascii: "]"))
        if !representation.isEmpty {
            JSONValue.writeLiteral(#","representation":"#, to: &out)
            JSONValue.writeString(representation, to: &out)
        }
        out.append(UInt8(ascii: "}"))
    }

    static func nonFiniteName(_ value: Double) -> String {
        value.isNaN ? "NaN" : value < 0 ? "-Infinity" : "Infinity"
    }
}

extension FieldValue {
    /// Whether the values read back as themselves written plainly: no bytes (they need the
    /// type to be told from strings), no NaN or infinity.
    fileprivate var hasPlainJSONForm: Bool {
        switch storage {
        case .strings, .integers, .bools: true
        case .doubles(let values): values.reduce(true) { $0 && $1.isFinite }
        case .bytes: false
        }
    }

    /// The values, comma-separated: bytes as base64 strings, non-finite doubles as names.
    fileprivate func writeJSONValues(to out: inout [UInt8]) {
        func each<T>(_ values: Values<T>, _ write: (T, inout [UInt8]) -> Void) {
            var first = true
            values.forEach { value in
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                write(value, &out)
            }
        }
        switch storage {
        case .strings(let values): each(values) { JSONValue.writeString($0, to: &$1) }
        case .integers(let values): each(values) { JSONValue.writeInteger($0, to: &$1) }
        case .bools(let values): each(values) { JSONValue.writeBool($0, to: &$1) }
        case .bytes(let values): each(values) { JSONValue.writeString(Data($0).base64EncodedString(), to: &$1) }
        case .doubles(let values):
            each(values) { value, out in
                if value.isFinite {
                    JSONValue.writeDouble(value, to: &out)
                } else {
                    JSONValue.writeString(Field.nonFiniteName(value), to: &out)
                }
            }
        }
    }
}
