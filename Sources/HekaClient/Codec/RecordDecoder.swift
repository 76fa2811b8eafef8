/// Splits a byte stream into Heka records the way hekad's framing splitter does, and
/// decodes them.
///
/// Feed it bytes as they arrive (``append(_:)``), then take events with ``next()`` until it
/// returns `nil`; at the end of the input call ``finish()`` to learn of a cut-off record.
/// Like hekad it skips bytes before a 0x1E, resynchronises on the next 0x1E after a bad
/// header, waits for the rest of an incomplete record, and refuses a `message_length` over
/// the limit without waiting for (or allocating) that many bytes. Every skip is reported
/// as an event with its byte offset, so nothing is lost silently.
///
/// The events do not depend on how the input is cut into pieces: a run of bytes before a
/// 0x1E is one skip whether it arrives at once or byte by byte (reported when the 0x1E
/// arrives, or by ``finish()``), and the bytes after a bad header up to the next 0x1E
/// belong to that header's error, not to a skip of their own.
///
/// Framing problems (skipped bytes, bad headers, oversized lengths) that follow one another
/// with no record between them are reported as two events, not one per 0x1E: the first as it
/// is found, then one ``CodecError/Code-swift.struct/skippedBytes`` for all the rest (how many
/// bytes, from which offset, how many problems), when the next record frames or at
/// ``finish()``. A flood of 0x1E bytes costs two events, in time linear in its length.
///
/// A record that decodes but had to be mended (a string that is not valid UTF-8, values of
/// another type than the field declares) is preceded by one error event per mend, with its
/// byte offset; the record itself follows, as hekad would keep it.
///
/// With ``keys`` set, signed records are checked as hekad checks them: an unknown signer,
/// an unknown hash function or a wrong digest drops the record (reported as an error
/// event); unsigned records are accepted. With `keys` `nil` nothing is checked.
public struct RecordDecoder: Sendable {
    /// One decoded record.
    public struct Record: Sendable, Hashable {
        /// The record's header.
        public var header: RecordHeader
        /// The decoded message.
        public var message: Message
        /// Offset of the record's 0x1E in the whole input.
        public var offset: Int
        /// The record's length in bytes, framing included.
        public var length: Int
        /// Whether the HMAC was checked and matched; `false` for unsigned records and when
        /// the decoder has no keys.
        public var verified: Bool
    }

    /// What ``next()`` found.
    public enum Event: Sendable, Hashable {
        /// A record decoded (and, with keys, accepted).
        case record(Record)
        /// Bytes skipped or a record dropped, with the reason and offset; or, with code
        /// `invalidUTF8` or `valueTypeMismatch`, a part of the record that follows which
        /// had to be mended to keep it.
        case error(CodecError)
    }

    /// Keys by hekad's name, `<signer>_<keyVersion>`; `nil` checks nothing.
    public let keys: [String: HMACSigner]?
    /// The largest `message_length` accepted. Default: 65,536 (hekad's `max_message_size`).
    public let maxMessageSize: Int

    private var input = InputBuffer()

    /// Where bytes that are not a record go until the next 0x1E.
    private enum Gap: Sendable {
        /// At a record boundary.
        case none
        /// Skipping bytes from this input offset on; reported as one skip.
        case skipping(from: Int)
        /// Dropping the rest of a record already reported as bad.
        case discarding

        var isOpen: Bool {
            if case .none = self { return false }
            return true
        }
    }

    private var gap = Gap.none
    /// Whether the last thing found was a framing problem (reported or merged).
    private var inProblemRun = false
    /// The framing problems after the reported one, not yet reported.
    private var merged: MergedProblems?
    /// Events found with the last record, to hand out before looking further.
    private var queued: [Event] = []

    /// - Parameters:
    ///   - keys: signers whose records to verify; `nil` (the default) verifies nothing, an
    ///     empty array drops every signed record, as hekad with no signers would.
    ///   - maxMessageSize: the largest message accepted.
    public init(keys: [HMACSigner]? = nil, maxMessageSize: Int = ProtobufEncoder.defaultMaxMessageSize) {
        self.keys = keys.map { Dictionary($0.map { ($0.keyName, $0) }, uniquingKeysWith: { _, last in last }) }
        self.maxMessageSize = maxMessageSize
    }

    /// Bytes received but not yet decoded.
    public var pendingByteCount: Int { input.unreadCount }

    /// Adds input.
    public mutating func append(_ bytes: some Sequence<UInt8>) { input.append(bytes) }

    /// The next record or error, or `nil` when more input is needed.
    public mutating func next() -> Event? {
        if !queued.isEmpty { return queued.removeFirst() }
        while let step = nextFramed() {
            switch step {
            case .framingProblem(let problem):
                guard inProblemRun else {
                    inProblemRun = true
                    return .error(problem.error)
                }
                // Merged: counted, its message never built.
                merged = MergedProblems(from: merged?.from ?? problem.offset, count: (merged?.count ?? 0) + 1)
            case .framed(let event, let mends, let recordOffset):
                inProblemRun = false
                var summary: Event?
                if let merged {
                    self.merged = nil
                    summary = .error(merged.summary(upTo: recordOffset, what: "the record at byte \(recordOffset)"))
                }
                guard summary != nil || !mends.isEmpty else { return event }
                queued = mends.map(Event.error) + [event]
                return summary ?? queued.removeFirst()
            }
        }
        return nil
    }

    /// What the framing found: a problem with the bytes, or a framed record's event (the
    /// record or its error) and what was mended to decode it.
    private enum Step {
        case framingProblem(FramingProblem)
        /// Boxed: a record is large, and a flood of problems would copy its room each step.
        indirect case framed(Event, mends: [CodecError], recordOffset: Int)
    }

    /// Bytes that frame no record, described without building the message, which a merged
    /// problem never needs.
    private enum FramingProblem {
        case skipped(from: Int, end: Int)
        case noSeparator(at: Int, headerLength: Int)
        case badHeader(at: Int, CodecError)
        case tooLarge(at: Int, length: Int, limit: Int)

        var offset: Int {
            switch self {
            case .skipped(let from, _): from
            case .noSeparator(let at, _), .badHeader(let at, _), .tooLarge(let at, _, _): at
            }
        }

        var error: CodecError {
            switch self {
            case .skipped(let from, let end):
                CodecError(.skippedBytes, "skipped \(end - from) bytes before a record separator at byte \(from)", offset: from)
            case .noSeparator(let at, let headerLength):
                CodecError(.invalidHeader, "record at byte \(at): no 0x1F after its \(headerLength)-byte header", offset: at)
            case .badHeader(let at, let reason):
                CodecError(.invalidHeader, "record at byte \(at): bad header: \(reason.message)", offset: at)
            case .tooLarge(let at, let length, let limit):
                CodecError(.messageTooLarge, "record at byte \(at): message_length \(length) is over the \(limit)-byte limit",
                    offset: at)
            }
        }
    }

    /// Framing problems after the one reported, merged into one report.
    private struct MergedProblems: Sendable {
        /// Input offset of the first merged byte.
        var from: Int
        /// How many problems were merged.
        var count: Int

        func summary(upTo end: Int, what: String) -> CodecError {
            CodecError(.skippedBytes,
                "skipped \(end - from) bytes at byte \(from): \(count) more bad header\(count == 1 ? "" : "s") or runs of "
                    + "stray bytes before \(what)", offset: from)
        }
    }

    /// The next framing problem or framed record, or `nil` when more input is needed.
    private mutating func nextFramed() -> Step? {
        guard input.start < input.bytes.count else { return nil }
        if input.bytes[input.start] != 0x1E || gap.isOpen {
            if let skipped = leaveGap() { return .framingProblem(skipped) }
            guard input.start < input.bytes.count else { return nil }
        }
        let recordStart = input.start
        let recordOffset = input.consumed + recordStart
        guard input.bytes.count - recordStart >= 2 else { return nil }
        let headerLength = Int(input.bytes[recordStart + 1])
        let headerEnd = recordStart + 2 + headerLength
        guard input.bytes.count > headerEnd else { return nil }
        guard input.bytes[headerEnd] == 0x1F else {
            return resync(from: recordStart, .noSeparator(at: recordOffset, headerLength: headerLength))
        }
        let parsed = input.bytes.withUnsafeBytes { raw in
            Result { () throws(CodecError) in
                try RecordHeader(protobuf: UnsafeRawBufferPointer(rebasing: raw[recordStart + 2..<headerEnd]),
                                 baseOffset: recordOffset + 2)
            }
        }
        let header: RecordHeader
        switch parsed {
        case .success(let parsedHeader): header = parsedHeader
        case .failure(let error):
            return resync(from: recordStart, .badHeader(at: recordOffset, error))
        }
        let messageLength = Int(header.messageLength)
        guard messageLength <= maxMessageSize else {
            return resync(from: recordStart, .tooLarge(at: recordOffset, length: messageLength, limit: maxMessageSize))
        }
        let messageStart = headerEnd + 1
        guard input.bytes.count - messageStart >= messageLength else { return nil }
        input.start = messageStart + messageLength
        var mends: [CodecError] = []
        let event = input.bytes.withUnsafeBytes { raw in
            let body = UnsafeRawBufferPointer(rebasing: raw[messageStart..<messageStart + messageLength])
            return decode(header: header, body: body, at: recordOffset, length: input.start - recordStart, mends: &mends)
        }
        return .framed(event, mends: mends, recordOffset: recordOffset)
    }

    /// At the end of the input: an error for a record that was cut off or for bytes skipped
    /// since the last 0x1E, else `nil`.
    ///
    /// After a run of framing problems, the rest of the run and this tail are one error.
    public func finish() -> CodecError? {
        let tail = tailProblem()
        guard inProblemRun, merged != nil || tail != nil else { return tail }
        let from = merged?.from ?? tail?.offset ?? 0
        let count = (merged?.count ?? 0) + (tail == nil ? 0 : 1)
        return MergedProblems(from: from, count: count).summary(upTo: input.consumed + input.bytes.count,
                                                                what: "the end of the input")
    }

    /// The error for a record cut off or bytes skipped at the end of the input, if any.
    private func tailProblem() -> CodecError? {
        if case .skipping(let from) = gap {
            let count = input.consumed + input.bytes.count - from
            return CodecError(.skippedBytes,
                "skipped \(count) bytes at byte \(from): the input ends before a record separator", offset: from)
        }
        guard input.start < input.bytes.count else { return nil }
        let offset = input.consumed + input.start
        return CodecError(.incompleteRecord,
            "input ends inside the record at byte \(offset) (\(input.bytes.count - input.start) bytes of it present)",
            offset: offset)
    }

    /// Decodes all records of a complete input; the trailing cut-off record, if any, is
    /// the last error event.
    public static func decodeAll(_ bytes: some Sequence<UInt8>, keys: [HMACSigner]? = nil) -> [Event] {
        var decoder = RecordDecoder(keys: keys)
        decoder.append(bytes)
        var events: [Event] = []
        while let event = decoder.next() { events.append(event) }
        if let tail = decoder.finish() { events.append(.error(tail)) }
        return events
    }

    /// Moves past bytes that are not a record, up to the next 0x1E or the end of the input.
    /// Returns the skip to report when a run of skipped bytes ends at a 0x1E.
    private mutating func leaveGap() -> FramingProblem? {
        if case .none = gap { gap = .skipping(from: input.consumed + input.start) }
        guard let separator = input.bytes[input.start...].firstIndex(of: 0x1E) else {
            input.start = input.bytes.count
            return nil
        }
        input.start = separator
        defer { gap = .none }
        guard case .skipping(let from) = gap else { return nil }
        return .skipped(from: from, end: input.consumed + separator)
    }

    /// Drops a bad record: the bytes after its 0x1E up to the next 0x1E are part of it.
    private mutating func resync(from recordStart: Int, _ problem: FramingProblem) -> Step {
        input.start = recordStart + 1
        gap = .discarding
        _ = leaveGap()
        return .framingProblem(problem)
    }

    /// The record, or its error; what was mended to decode it goes to `mends`.
    private func decode(header: RecordHeader, body: UnsafeRawBufferPointer, at offset: Int, length: Int,
                        mends: inout [CodecError]) -> Event {
        var verified = false
        if let keys, let signer = header.hmacSigner {
            let name = "\(signer)_\(header.hmacKeyVersion ?? 0)"
            // The name comes from the input: printed, it must not act on a terminal.
            let shown = ControlCharacters.escaped(name)
            guard let key = keys[name] else {
                return .error(CodecError(.unknownSigner, "record at byte \(offset): no key for signer \(shown)", offset: offset))
            }
            guard let function = HMACSigner.HashFunction(rawValue: header.hmacHashFunction ?? 0) else {
                return .error(CodecError(.unsupportedHashFunction,
                    "record at byte \(offset): hmac_hash_function \(header.hmacHashFunction ?? 0) is neither MD5 (0) nor SHA1 (1)",
                    offset: offset))
            }
            let digest = header.hmac ?? []
            let valid = digest.withUnsafeBytes { key.isValid($0, for: body, using: function) }
            guard valid else {
                return .error(CodecError(.hmacMismatch, "record at byte \(offset): HMAC does not match (signer \(shown))",
                    offset: offset))
            }
            verified = true
        }
        do {
            let message = try Message(protobuf: body, baseOffset: offset + length - body.count, mends: &mends)
            return .record(Record(header: header, message: message, offset: offset, length: length, verified: verified))
        } catch {
            mends.removeAll()
            return .error(error)
        }
    }
}
