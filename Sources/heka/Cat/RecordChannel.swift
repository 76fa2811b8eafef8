import HekaClient

/// What `heka cat` found in its input.
enum CatEvent {
    /// A decoded message; `verified` when its HMAC was checked and matched.
    case message(Message, verified: Bool)
    /// Bytes that are not a message (corrupt, cut off, unverifiable), with where they are.
    case problem(String)
}

/// One input as `heka cat` reads it: a file, standard input, a TCP connection or a UDP
/// datagram. It decides the format from its first byte (`{` for JSON lines, anything else
/// framed protobuf, whose records start with 0x1E) and decodes as bytes arrive.
struct RecordChannel {
    private enum Decoder {
        case undecided
        case protobuf(RecordDecoder)
        case jsonLines(JSONLinesDecoder)
    }

    /// How problems name this input: `stdin`, `app.log`, `tcp connection from …`.
    let name: String
    private let keys: [HMACSigner]?
    private var decoder = Decoder.undecided

    init(name: String, keys: [HMACSigner]?) {
        self.name = name
        self.keys = keys
    }

    /// Decodes what `bytes` complete; `handle` returns false to stop early.
    mutating func feed(_ bytes: some Collection<UInt8>, _ handle: (CatEvent) -> Bool) -> Bool {
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
    mutating func finish(_ handle: (CatEvent) -> Bool) -> Bool {
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

    private func convert(_ event: RecordDecoder.Event) -> CatEvent {
        switch event {
        case .record(let record): .message(record.message, verified: record.verified)
        case .error(let error): .problem("\(name): \(error.message)")
        }
    }

    private func convert(_ result: Result<Message, CodecError>) -> CatEvent {
        switch result {
        case .success(let message): .message(message, verified: false)
        case .failure(let error): .problem("\(name): \(error.message)")
        }
    }
}
