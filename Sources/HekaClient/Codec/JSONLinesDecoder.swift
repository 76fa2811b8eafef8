import Foundation

/// Reads JSON-lines messages (as ``JSONLinesEncoder`` writes them) from a byte stream.
///
/// Feed bytes with ``append(_:)``, take one result per line with ``next()``; blank lines are
/// skipped, a bad line is an error naming its line number, the problem and its byte offset
/// in the whole input, and decoding goes on with the next line. ``finish()`` decodes a last
/// line that has no newline.
///
/// Each byte is looked at a bounded number of times however the input is cut into pieces,
/// and a line longer than ``maxLineLength`` is reported (``CodecError/Code-swift.struct/lineTooLong``)
/// as soon as it is, then skipped up to its newline without being kept: time is linear in
/// the input and memory bounded by the limit and the pieces appended.
public struct JSONLinesDecoder: Sendable {
    /// The longest line read, newline excluded. Default: 1 MiB (``defaultMaxLineLength``).
    public let maxLineLength: Int
    /// 1 MiB: room for the JSON form of the largest record hekad accepts (64 KiB of
    /// protobuf, whose bytes fields grow by a third in base64 and strings by up to six times
    /// in escapes).
    public static let defaultMaxLineLength = 1 << 20

    private var lines: LineSplitter
    /// The number of the next line to be read, from 1.
    public var lineNumber: Int { lines.lineNumber }

    /// - Parameter maxLineLength: the longest line accepted, newline excluded.
    public init(maxLineLength: Int = JSONLinesDecoder.defaultMaxLineLength) {
        lines = LineSplitter(maxLineLength: maxLineLength)
        self.maxLineLength = lines.maxLineLength
    }

    /// Adds input.
    public mutating func append(_ bytes: some Sequence<UInt8>) { lines.append(bytes) }

    /// Bytes received but not yet decoded: at most the limit and the last piece appended.
    public var pendingByteCount: Int { lines.pendingByteCount }

    /// The next line's message or error, or `nil` when no complete line is buffered.
    public mutating func next() -> Result<Message, CodecError>? {
        while let line = lines.next() {
            if let result = decode(line) { return result }
        }
        return nil
    }

    /// At the end of the input: the message of a last line without a newline, if any.
    public mutating func finish() -> Result<Message, CodecError>? {
        lines.finish().flatMap(decode)
    }

    /// A line's message or error; `nil` for a blank line.
    private func decode(_ line: LineSplitter.Line) -> Result<Message, CodecError>? {
        switch line {
        case .tooLong(let number, let offset):
            return .failure(CodecError(.lineTooLong,
                "line \(number): longer than the \(maxLineLength)-byte limit at byte \(offset); skipped to its newline",
                offset: offset))
        case .line(let bytes, let number, let offset):
            if bytes.allSatisfy({ (byte: UInt8) in byte == 0x20 || byte == 0x09 || byte == 0x0D }) { return nil }
            return Result { () throws(CodecError) in try Self.decode(line: bytes, number: number, at: offset) }
        }
    }

    /// Decodes every line of a complete input.
    public static func decodeAll(_ bytes: some Sequence<UInt8>,
                                 maxLineLength: Int = defaultMaxLineLength) -> [Result<Message, CodecError>] {
        var decoder = JSONLinesDecoder(maxLineLength: maxLineLength)
        decoder.append(bytes)
        var results: [Result<Message, CodecError>] = []
        while let result = decoder.next() { results.append(result) }
        if let last = decoder.finish() { results.append(last) }
        return results
    }

    /// Decodes one line (without its newline); errors name `number` as the line, and byte
    /// offsets count from `offset`, where the line starts in a larger input.
    public static func decode(line: some Collection<UInt8>, number: Int = 1, at offset: Int = 0)
        throws(CodecError) -> Message
    {
        do {
            return try Message(json: try JSONParser.parse(line, baseOffset: offset))
        } catch {
            throw CodecError(.invalidJSON, "line \(number): \(error.message)", offset: error.offset ?? offset)
        }
    }
}

extension Message {
    /// Reads a message from its JSON-lines object.
    init(json: JSONValue) throws(CodecError) {
        guard case .object(let members) = json else { throw Self.invalid("a message must be a JSON object") }
        self.init(uuid: Message.unsetUUID)
        var sawUUID = false, sawTimestamp = false
        for (key, value) in members {
            switch key {
            case "uuid":
                guard case .string(let text) = value, let parsed = UUID(uuidString: text) else {
                    throw Self.invalid("\"uuid\" must be a UUID string")
                }
                uuid = parsed
                sawUUID = true
            case "timestamp":
                timestamp = try Self.integer(value, key)
                sawTimestamp = true
            case "severity": severity = Severity(rawValue: Int32(clamping: try Self.integer(value, key)))
            case "pid": pid = Int32(clamping: try Self.integer(value, key))
            case "type": type = try Self.string(value, key)
            case "logger": logger = try Self.string(value, key)
            case "payload": payload = try Self.string(value, key)
            case "env_version": envVersion = try Self.string(value, key)
            case "hostname": hostname = try Self.string(value, key)
            case "fields":
                guard case .object(let entries) = value else { throw Self.invalid("\"fields\" must be an object") }
                fields = try entries.map { (name, value) throws(CodecError) in try Field(name: name, json: value) }
            default: break  // "time" and keys of later versions
            }
        }
        guard sawUUID else { throw Self.invalid("no \"uuid\"") }
        guard sawTimestamp else { throw Self.invalid("no \"timestamp\"") }
    }

    fileprivate static func invalid(_ what: String) -> CodecError { CodecError(.invalidJSON, what) }

    private static func integer(_ value: JSONValue, _ key: String) throws(CodecError) -> Int64 {
        guard case .number(let text) = value, let number = Int64(text) else {
            throw invalid("\"\(key)\" must be an integer")
        }
        return number
    }

    private static func string(_ value: JSONValue, _ key: String) throws(CodecError) -> String {
        guard case .string(let text) = value else { throw invalid("\"\(key)\" must be a string") }
        return text
    }
}

extension Field {
    /// Reads a field from its plain or typed JSON form.
    init(name: String, json: JSONValue) throws(CodecError) {
        let problem = "field \(ControlCharacters.escaped(name.debugDescription))"
        if case .object = json {
            guard case .string(let typeName)? = json["type"], let type = FieldValue.ValueType(name: typeName),
                case .array(let values)? = json["value"]
            else { throw Message.invalid("\(problem): a typed field needs \"type\" and a \"value\" array") }
            var representation = ""
            if let given = json["representation"] {
                guard case .string(let text) = given else { throw Message.invalid("\(problem): bad representation") }
                representation = text
            }
            self.init(name: name, value: try Self.typedValue(type, values, problem), representation: representation)
            return
        }
        let elements: [JSONValue]
        if case .array(let values) = json { elements = values } else { elements = [json] }
        var parts: [FieldValue] = []
        for element in elements {
            switch element {
            case .string(let text): parts.append(FieldValue(text))
            case .bool(let flag): parts.append(FieldValue(flag))
            case .number(let text):
                if let integer = Int64(text) { parts.append(FieldValue(integer)) }
                else if let double = Double(text) { parts.append(FieldValue(double)) }
                else { throw Message.invalid("\(problem): number \(text) is out of range") }
            default: throw Message.invalid("\(problem): values must be strings, numbers or bools")
            }
        }
        let kinds = Set(parts.map(\.valueType))
        guard kinds.count <= 1 || kinds == [.integer, .double] else {
            throw Message.invalid("\(problem): an array mixes kinds of values")
        }
        self.init(name: name, value: FieldValue(joining: parts))
    }

    private static func typedValue(_ type: FieldValue.ValueType, _ values: [JSONValue], _ problem: String)
        throws(CodecError) -> FieldValue
    {
        func each<T>(_ convert: (JSONValue) -> T?) throws(CodecError) -> [T] {
            var out: [T] = []
            for value in values {
                guard let converted = convert(value) else {
                    throw Message.invalid("\(problem): a value is not of type \(type)")
                }
                out.append(converted)
            }
            return out
        }
        switch type {
        case .string: return .strings(try each { if case .string(let s) = $0 { s } else { nil } })
        case .bool: return .bools(try each { if case .bool(let b) = $0 { b } else { nil } })
        case .integer: return .integers(try each { if case .number(let n) = $0 { Int64(n) } else { nil } })
        case .bytes:
            return .bytes(try each { if case .string(let s) = $0 { Data(base64Encoded: s).map { Array($0) } } else { nil } })
        case .double:
            return .doubles(try each { value in
                switch value {
                case .number(let n): Double(n)
                case .string("NaN"): .nan
                case .string("Infinity"): .infinity
                case .string("-Infinity"): -.infinity
                default: nil
                }
            })
        }
    }
}
