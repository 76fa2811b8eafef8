import Streams

extension DebugCaptureStream {
    /// The captured records decoded, oldest first, whichever encoder wrote them: a record
    /// starting with 0x1E is read as framed protobuf, any other as a JSON line. A record
    /// that does not decode is left out; ``decodingResults`` shows why.
    public var messages: [Message] {
        decodingResults.compactMap { try? $0.get() }
    }

    /// The last captured record decoded, if it decodes.
    public var lastMessage: Message? {
        guard let record = last else { return nil }
        return try? Self.decode(record).get()
    }

    /// Each captured record's message or decoding error, oldest first.
    public var decodingResults: [Result<Message, CodecError>] { records.map(Self.decode) }

    private static func decode(_ record: [UInt8]) -> Result<Message, CodecError> {
        guard record.first == 0x1E else {
            return Result { () throws(CodecError) in try JSONLinesDecoder.decode(line: record.prefix { $0 != 0x0A }) }
        }
        // A record mended while decoding comes after the reports of its mends.
        let events = RecordDecoder.decodeAll(record)
        for case .record(let decoded) in events { return .success(decoded.message) }
        for case .error(let error) in events { return .failure(error) }
        return .failure(CodecError(.incompleteRecord, "empty record"))
    }
}
