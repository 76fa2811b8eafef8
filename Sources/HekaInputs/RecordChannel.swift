import HekaClient

/// One input as the listeners and readers read it: a file, standard input, a TCP connection or a UDP
/// datagram. It decides the format from its first byte (`{` for JSON lines, anything else
/// framed protobuf, whose records start with 0x1E) and decodes as bytes arrive.
public struct RecordChannel: Sendable {
    private enum Decoder {
        case undecided
        case protobuf(RecordDecoder)
        case jsonLines(JSONLinesDecoder)
    }

    /// How problems name this input: `stdin`, `app.log`, `tcp connection from …`.
    public let name: String
    private let keys: [HMACSigner]?
    private var decoder = Decoder.undecided

    /// A channel named `name` (for problems), verifying signed records with `keys`.
    public init(name: String, keys: [HMACSigner]?) {
        self.name = name
        self.keys = keys
    }

    /// Decodes what `bytes` complete; `handle` returns false to stop early.
    public mutating func feed(_ bytes: some Collection<UInt8>, _ handle: (InputEvent) -> Bool) -> Bool {
        if case .undecided = decoder {
            guard let first = bytes.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) else { return true }
            decoder = first == UInt8(ascii: "{") ? .jsonLines(JSONLinesDecoder())
                : .protobuf(RecordDecoder(keys: keys))
        }
        switch decoder {
        case .undecided: return true
        case .protobuf(var records):
            decoder = .undecided  // so that the buffer is not copied on append
            records.append(bytes)
            defer { decoder = .protobuf(records) }
            while let event = records.next() {
                guard handle(convert(event)) else { return false }
            }
        case .jsonLines(var lines):
            decoder = .undecided
            lines.append(bytes)
            defer { decoder = .jsonLines(lines) }
            while let result = lines.next() {
                guard handle(convert(result)) else { return false }
            }
        }
        return true
    }

    /// At the end of the input: a record cut off, or a last line without a newline.
    public mutating func finish(_ handle: (InputEvent) -> Bool) -> Bool {
        switch decoder {
        case .undecided: return true
        case .protobuf(let records):
            guard let error = records.finish() else { return true }
            return handle(.problem("\(name): \(error.message)"))
        case .jsonLines(var lines):
            defer { decoder = .jsonLines(lines) }
            guard let result = lines.finish() else { return true }
            return handle(convert(result))
        }
    }

    private func convert(_ event: RecordDecoder.Event) -> InputEvent {
        switch event {
        case .record(let record): .message(record.message, verified: record.verified)
        case .error(let error): .problem("\(name): \(error.message)")
        }
    }

    private func convert(_ result: Result<Message, CodecError>) -> InputEvent {
        switch result {
        case .success(let message): .message(message, verified: false)
        case .failure(let error): .problem("\(name): \(error.message)")
        }
    }
}
