/// A strict RFC 8259 parser into ``JSONValue``. Errors name the byte offset.
package struct JSONParser {
    private let bytes: [UInt8]
    private var index = 0
    private var depth = 0
    /// Deeper nesting is refused, so hostile input cannot exhaust the stack.
    package static let maximumDepth = 64

    /// Added to offsets in errors: where the text starts in a larger input.
    private let baseOffset: Int

    private init(_ bytes: [UInt8], baseOffset: Int) {
        self.bytes = bytes
        self.baseOffset = baseOffset
    }

    /// Parses one complete JSON text, in time linear in its length. Error offsets count from
    /// `baseOffset`.
    package static func parse(_ bytes: some Collection<UInt8>, baseOffset: Int = 0) throws(CodecError) -> JSONValue {
        var parser = JSONParser(Array(bytes), baseOffset: baseOffset)
        parser.skipSpace()
        let value = try parser.value()
        parser.skipSpace()
        guard parser.index == parser.bytes.count else { throw parser.failure("unexpected text after the value") }
        return value
    }

    private func failure(_ what: String) -> CodecError {
        CodecError(.invalidJSON, "\(what) at byte \(baseOffset + index)", offset: baseOffset + index)
    }

    private mutating func skipSpace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private mutating func value() throws(CodecError) -> JSONValue {
        guard index < bytes.count else { throw failure("unexpected end of input") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try container(close: UInt8(ascii: "}"))
        case UInt8(ascii: "["): return try container(close: UInt8(ascii: "]"))
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        default: return .number(try number())
        }
    }

    private mutating func literal(_ word: String) throws(CodecError) {
        let expected = Array(word.utf8)
        guard bytes.count - index >= expected.count, Array(bytes[index..<index + expected.count]) == expected else {
            throw failure("invalid literal")
        }
        index += expected.count
    }

    private mutating func container(close: UInt8) throws(CodecError) -> JSONValue {
        depth += 1
        guard depth <= Self.maximumDepth else { throw failure("nesting deeper than \(Self.maximumDepth)") }
        defer { depth -= 1 }
        let isObject = close == UInt8(ascii: "}")
        index += 1
        var members: [(String, JSONValue)] = []
        var elements: [JSONValue] = []
        skipSpace()
        if index < bytes.count, bytes[index] == close {
            index += 1
            return isObject ? .object([]) : .array([])
        }
        while true {
            skipSpace()
            if isObject {
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw failure("expected a key") }
                let key = try string()
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw failure("expected ':'") }
                index += 1
                skipSpace()
                members.append((key, try value()))
            } else {
                elements.append(try value())
            }
            skipSpace()
            guard index < bytes.count else { throw failure("unexpected end of input") }
            if bytes[index] == close {
                index += 1
                return isObject ? .object(members) : .array(elements)
            }
            guard bytes[index] == UInt8(ascii: ",") else { throw failure("expected ',' or '\(Character(Unicode.Scalar(close)))'") }
            index += 1
        }
    }

    private mutating func number() throws(CodecError) -> String {
        let start = index
        func digits() -> Int {
            let from = index
            while index < bytes.count, (0x30...0x39).contains(bytes[index]) { index += 1 }
            return index - from
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        let intStart = index
        guard digits() > 0 else { throw failure("invalid value") }
        if bytes[intStart] == 0x30, index - intStart > 1 { throw failure("leading zero in a number") }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digits() > 0 else { throw failure("digits expected after '.'") }
        }
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard digits() > 0 else { throw failure("digits expected in an exponent") }
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    private mutating func string() throws(CodecError) -> String {
        index += 1
        // Most strings have no escape: they are made straight from the input's bytes.
        let start = index
        var ascii = true
        scan: while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return try text(bytes[start..<index - 1], ascii: ascii)
            case UInt8(ascii: "\\"):
                break scan
            case 0..<0x20:
                index += 1
                throw failure("control character in a string")
            default:
                if byte >= 0x80 { ascii = false }
                index += 1
            }
        }
        var out = Array(bytes[start..<index])
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                return try text(out[...], ascii: false)
            case UInt8(ascii: "\\"):
                guard index < bytes.count else { throw failure("unexpected end of input") }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escape)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800..<0xDC00).contains(scalar) {
                        guard bytes.count - index >= 6, bytes[index] == 0x5C, bytes[index + 1] == UInt8(ascii: "u") else {
                            throw failure("lone surrogate")
                        }
                        index += 2
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw failure("lone surrogate") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let unicode = Unicode.Scalar(scalar) else { throw failure("lone surrogate") }
                    out.append(contentsOf: Array(String(Character(unicode)).utf8))
                default: throw failure("invalid escape")
                }
            case 0..<0x20: throw failure("control character in a string")
            default: out.append(byte)
            }
        }
        throw failure("unterminated string")
    }

    /// The string of `utf8`, which must be valid UTF-8 (all ASCII when `ascii`). Decoding
    /// repairs what is not valid, so a text that reads back as its bytes was valid.
    private func text(_ utf8: ArraySlice<UInt8>, ascii: Bool) throws(CodecError) -> String {
        let text = String(decoding: utf8, as: UTF8.self)
        guard ascii || text.utf8.elementsEqual(utf8) else { throw failure("string is not valid UTF-8") }
        return text
    }

    private mutating func hex4() throws(CodecError) -> UInt32 {
        guard bytes.count - index >= 4 else { throw failure("truncated \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let digit = Character(Unicode.Scalar(bytes[index])).hexDigitValue else {
                throw failure("invalid \\u escape")
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }
}
