/// A JSON value that keeps what the JSON-lines form needs to round-trip exactly: object
/// keys in their order, and numbers as their text (so `3` and `3.0` stay apart).
///
/// The wire form, kept out of the public API: the JSON-lines decoder reads into it and the
/// encoders and the raven event write from it. ``ConfigurationValue`` (heka-py's typed
/// configuration, no `null`) and the raven plugin's `EventValue` (what programs pass, with
/// literals) are the domain values that convert to it; they cannot be this type because a
/// number here is text and duplicate keys are kept.
package enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    /// A number, as written.
    case number(String)
    case string(String)
    case array([JSONValue])
    /// Members in order; duplicate keys are kept.
    case object([(String, JSONValue)])

    package static func integer(_ value: some BinaryInteger) -> JSONValue {
        var digits: [UInt8] = []
        writeInteger(value, to: &digits)
        return .number(String(decoding: digits, as: UTF8.self))
    }

    /// A finite double, written so that it reads back as a double: Swift's shortest
    /// round-trip form, which always has a `.` or an exponent.
    package static func double(_ value: Double) -> JSONValue {
        var digits: [UInt8] = []
        writeDouble(value, to: &digits)
        return .number(String(decoding: digits, as: UTF8.self))
    }

    package subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.0 == key }?.1
    }

    package static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.bool(let a), .bool(let b)): a == b
        case (.number(let a), .number(let b)): a == b
        case (.string(let a), .string(let b)): a == b
        case (.array(let a), .array(let b)): a == b
        case (.object(let a), .object(let b)): a.map(\.0) == b.map(\.0) && a.map(\.1) == b.map(\.1)
        default: false
        }
    }

    package func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .bool(let v): hasher.combine(v)
        case .number(let v), .string(let v): hasher.combine(v)
        case .array(let v): hasher.combine(v)
        case .object(let v): for (key, value) in v { hasher.combine(key); hasher.combine(value) }
        }
    }
}

extension JSONValue {
    /// Appends the compact UTF-8 text of this value.
    package func write(to out: inout [UInt8]) {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let v): Self.writeBool(v, to: &out)
        case .number(let v): out.append(contentsOf: v.utf8)
        case .string(let v): Self.writeString(v, to: &out)
        case .array(let values):
            out.append(UInt8(ascii: "["))
            for (index, value) in values.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                value.write(to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (index, (key, value)) in members.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                Self.writeString(key, to: &out)
                out.append(UInt8(ascii: ":"))
                value.write(to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// The compact JSON text.
    package var text: String {
        var out: [UInt8] = []
        write(to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// The lowercase hex digit of a value below 16.
    @inline(__always)
    package static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") - 10 + value
    }

    /// Appends text known at compile time, such as a key with its quotes and colon.
    @inline(__always)
    package static func writeLiteral(_ text: StaticString, to out: inout [UInt8]) {
        out.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    package static func writeBool(_ value: Bool, to out: inout [UInt8]) {
        writeLiteral(value ? "true" : "false", to: &out)
    }

    /// Decimal digits, with a `-` for a negative number; what `.integer(value)` writes.
    package static func writeInteger(_ value: some BinaryInteger, to out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        var magnitude = UInt64(value.magnitude)
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for UInt64.max's 20 digits
        withUnsafeMutableBytes(of: &digits) { buffer in
            var index = buffer.count
            repeat {
                index -= 1
                buffer[index] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            out.append(contentsOf: buffer[index...])
        }
    }

    /// A finite double as `.double(value)` writes it.
    package static func writeDouble(_ value: Double, to out: inout [UInt8]) {
        out.append(contentsOf: value.description.utf8)
    }

    /// A JSON string: quotes, backslashes and control characters escaped, everything else
    /// (all of Unicode) as UTF-8. U+2028/2029 are escaped so that the line is also valid
    /// JavaScript. Runs of bytes that need no escape are copied in one go.
    package static func writeString(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        // As in ProtobufWriter.string: withCString reads the UTF-8 in place, and the count
        // (not the NUL) bounds it.
        let count = text.utf8.count
        text.withCString { start in
            writeEscaped(UnsafeBufferPointer(start: UnsafeRawPointer(start).assumingMemoryBound(to: UInt8.self),
                                             count: count), to: &out)
        }
        out.append(UInt8(ascii: "\""))
    }

    private static func writeEscaped(_ utf8: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        var runStart = utf8.startIndex
        var index = utf8.startIndex
        while index != utf8.endIndex {
            let byte = utf8[index]
            let next = utf8.index(after: index)
            if byte >= 0x20 && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\") && byte != 0xE2 {
                index = next
                continue
            }
            // U+2028 and U+2029 are E2 80 A8 and E2 80 A9; any other E2 sequence is copied.
            var end = next
            if byte == 0xE2 {
                guard utf8.distance(from: index, to: utf8.endIndex) >= 3, utf8[next] == 0x80,
                      utf8[utf8.index(after: next)] == 0xA8 || utf8[utf8.index(after: next)] == 0xA9
                else {
                    index = next
                    continue
                }
                end = utf8.index(index, offsetBy: 3)
            }
            out.append(contentsOf: utf8[runStart..<index])
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): out.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0xE2: out.append(contentsOf: (utf8[utf8.index(index, offsetBy: 2)] == 0xA8 ? "\\u2028" : "\\u2029").utf8)
            default:
                out.append(contentsOf: "\\u00".utf8)
                out.append(hexDigit(byte >> 4))
                out.append(hexDigit(byte & 0xF))
            }
            index = end
            runStart = end
        }
        out.append(contentsOf: utf8[runStart..<utf8.endIndex])
    }
}
