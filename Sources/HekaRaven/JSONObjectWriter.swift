import HekaClient

/// Writes a JSON object's members straight into bytes, in the order given:
/// `{"key":value,…}`. A Sentry event is written this way rather than built as a
/// ``JSONValue`` tree first.
///
/// ```swift
/// JSONObjectWriter.write(to: &bytes) { object in
///     object.string("event_id", id)
///     object.object("sdk") { $0.string("name", "heka-swift") }
/// }
/// ```
struct JSONObjectWriter {
    private var bytes: [UInt8] = []
    private var empty = true

    /// Appends one object to `out`, its members written by `body`.
    static func write(to out: inout [UInt8], _ body: (inout JSONObjectWriter) -> Void) {
        var writer = JSONObjectWriter()
        swap(&writer.bytes, &out)  // the writer appends to the caller's buffer, no copy
        writer.bytes.append(UInt8(ascii: "{"))
        body(&writer)
        writer.bytes.append(UInt8(ascii: "}"))
        swap(&writer.bytes, &out)
    }

    /// How many bytes the buffer holds so far (where the next member starts, after its comma).
    var count: Int { bytes.count }

    /// Writes the key of the next member, for a value written by `value`.
    mutating func member(_ key: String, _ value: (inout [UInt8]) -> Void) {
        if !empty { bytes.append(UInt8(ascii: ",")) }
        empty = false
        JSONValue.writeString(key, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        value(&bytes)
    }

    mutating func string(_ key: String, _ value: String) {
        member(key) { JSONValue.writeString(value, to: &$0) }
    }

    mutating func integer(_ key: String, _ value: Int) {
        member(key) { JSONValue.writeInteger(value, to: &$0) }
    }

    mutating func bool(_ key: String, _ value: Bool) {
        member(key) { JSONValue.writeBool(value, to: &$0) }
    }

    mutating func strings(_ key: String, _ values: [String]) {
        member(key) { out in
            out.append(UInt8(ascii: "["))
            for (index, value) in values.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                JSONValue.writeString(value, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        }
    }

    /// A member whose value is JSON text written already (a stack's cached frames).
    mutating func raw(_ key: String, _ json: [UInt8]) {
        member(key) { $0.append(contentsOf: json) }
    }

    /// A member whose value is a tree.
    mutating func value(_ key: String, _ value: JSONValue) {
        member(key) { value.write(to: &$0) }
    }

    /// A member whose value is an object written by `body`.
    mutating func object(_ key: String, _ body: (inout JSONObjectWriter) -> Void) {
        member(key) { JSONObjectWriter.write(to: &$0, body) }
    }
}
