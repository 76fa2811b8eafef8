import Foundation
import Testing

@testable import HekaClient

@Suite struct RecordDecoderTests {
    /// A fixed uuid with no 0x1E byte: a random one sometimes holds a separator, and a
    /// resync that lands there reads a different (correct, but unplanned) stream of events.
    static let uuid = UUID(uuid: (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16))

    static func message(_ type: String, payload: String = "") -> Message {
        Message(uuid: uuid, timestamp: 42, type: type, severity: .error, payload: payload, pid: 1, hostname: "h")
    }

    static func record(_ type: String, signer: HMACSigner? = nil) -> [UInt8] {
        try! ProtobufEncoder(signer: signer).encode(message(type))
    }

    static func types(_ events: [RecordDecoder.Event]) -> [String] {
        events.map { event in
            switch event {
            case .record(let record): record.message.type
            case .error(let error): "!\(error.code)@\(error.offset ?? -1)"
            }
        }
    }

    @Test("records split the same however the bytes arrive")
    func chunking() throws {
        let stream = (0..<50).flatMap { Self.record("t\($0)") }
        var rng = SeededGenerator(seed: 3)
        for _ in 0..<20 {
            var decoder = RecordDecoder()
            var events: [RecordDecoder.Event] = []
            var rest = stream[...]
            while !rest.isEmpty {
                let size = Int.random(in: 1...40, using: &rng)
                decoder.append(rest.prefix(size))
                rest = rest.dropFirst(size)
                while let event = decoder.next() { events.append(event) }
            }
            #expect(decoder.finish() == nil)
            #expect(Self.types(events) == (0..<50).map { "t\($0)" })
        }
    }

    /// The events of `bytes` appended in pieces of the given sizes, then finished.
    static func eventsInPieces(_ bytes: [UInt8], sizes: () -> Int, keys: [HMACSigner]? = nil) -> [RecordDecoder.Event] {
        var decoder = RecordDecoder(keys: keys)
        var events: [RecordDecoder.Event] = []
        var rest = bytes[...]
        while !rest.isEmpty {
            let size = sizes()
            decoder.append(rest.prefix(size))
            rest = rest.dropFirst(size)
            while let event = decoder.next() { events.append(event) }
        }
        if let tail = decoder.finish() { events.append(.error(tail)) }
        return events
    }

    @Test("skips and resyncs report the same events however the bytes arrive", arguments: [
        // Junk before, between and after records: one skip per run, the last one at the end.
        Array("junk".utf8) + record("a") + [0x00, 0x01, 0x02] + record("b") + Array("tail junk".utf8),
        // A bad header: the bytes after it up to the next 0x1E are part of that error.
        { var broken = record("lost"); broken[2 + Int(broken[1])] = 0x00; return broken + record("kept") }(),
        // A bad header with nothing after it, then junk only.
        { var broken = record("lost"); broken[2 + Int(broken[1])] = 0x00; return broken }(),
        Array("no separator at all".utf8),
    ])
    func skipsIndependentOfPieces(stream: [UInt8]) {
        let whole = RecordDecoder.decodeAll(stream)
        #expect(Self.eventsInPieces(stream, sizes: { 1 }) == whole)
        var rng = SeededGenerator(seed: 11)
        for _ in 0..<10 {
            #expect(Self.eventsInPieces(stream, sizes: { Int.random(in: 1...17, using: &rng) }) == whole)
        }
    }

    @Test("a run of junk is one skip with its full length, reported at the separator or the end")
    func skipLengths() {
        let first = Self.record("a")
        let stream = Array("junk".utf8) + first + Array("trailing".utf8)
        let events = Self.eventsInPieces(stream, sizes: { 1 })
        #expect(Self.types(events) == ["!skippedBytes@0", "a", "!skippedBytes@\(4 + first.count)"])
        guard case .error(let lead) = events[0], case .error(let tail) = events[2] else {
            Issue.record("expected skips first and last")
            return
        }
        #expect(lead.message == "skipped 4 bytes before a record separator at byte 0")
        #expect(tail.message == "skipped 8 bytes at byte \(4 + first.count): the input ends before a record separator")
    }

    @Test("the fuzzed input whose events depended on the pieces decodes the same in any pieces")
    func fuzzedPieces() throws {
        // Found by FuzzRecordDecoder: a signed record, a bad header and a run of junk.
        let url = try #require(Bundle.module.url(forResource: "fuzz-record-pieces", withExtension: "bin", subdirectory: "Resources"))
        let stream = Array(try Data(contentsOf: url))
        let keys = [
            try HMACSigner(signer: "fuzz", keyVersion: 1, hashFunction: .md5, key: "key"),
            try HMACSigner(signer: "fuzz", keyVersion: 2, hashFunction: .sha1, key: "other key"),
        ]
        for verifying in [nil, keys] {
            let whole = RecordDecoder.decodeAll(stream, keys: verifying)
            #expect(Self.eventsInPieces(stream, sizes: { 1 }, keys: verifying) == whole)
            var step = 0
            let sizes = { () -> Int in
                defer { step += 1 }
                return max(1, Int(stream[step % stream.count]) % 97)
            }
            #expect(Self.eventsInPieces(stream, sizes: sizes, keys: verifying) == whole)
        }
    }

    @Test("the smallest record, 1E 00 1F, frames; its empty message is refused alone")
    func smallestRecord() {
        let events = RecordDecoder.decodeAll([0x1E, 0x00, 0x1F] + Self.record("after"))
        #expect(Self.types(events) == ["!invalidProtobuf@3", "after"])
    }

    @Test("garbage before and between records is skipped and reported with its offset")
    func garbage() {
        let first = Self.record("a")
        let stream = Array("junk".utf8) + first + [0x00, 0x01] + Self.record("b")
        #expect(Self.types(RecordDecoder.decodeAll(stream)) == ["!skippedBytes@0", "a", "!skippedBytes@\(4 + first.count)", "b"])
    }

    @Test("a bad header resynchronises on the next 0x1E, as hekad does")
    func badHeader() {
        var broken = Self.record("lost")
        broken[2 + Int(broken[1])] = 0x00  // the 0x1F after the header
        let events = RecordDecoder.decodeAll(broken + Self.record("kept"))
        #expect(Self.types(events).first == "!invalidHeader@0")
        #expect(Self.types(events).last == "kept")
    }

    @Test("a message_length over the limit is refused without waiting for its bytes")
    func oversizedLength() {
        // Header claiming 100,000 bytes, then a good record straight after.
        var header: [UInt8] = [0x08]
        var length: UInt64 = 100_000
        while length >= 0x80 { header.append(UInt8(length & 0x7F) | 0x80); length >>= 7 }
        header.append(UInt8(length))
        let claim: [UInt8] = [0x1E, UInt8(header.count)] + header + [0x1F]
        var decoder = RecordDecoder()
        decoder.append(claim + Self.record("next"))
        var events: [RecordDecoder.Event] = []
        while let event = decoder.next() { events.append(event) }
        #expect(Self.types(events) == ["!messageTooLarge@0", "next"])
        #expect(decoder.pendingByteCount == 0)
    }

    @Test("a cut-off last record is reported by finish(), not lost")
    func truncatedTail() {
        let whole = Self.record("whole")
        let cut = Array(Self.record("cut").prefix(20))
        let events = RecordDecoder.decodeAll(whole + cut)
        #expect(Self.types(events) == ["whole", "!incompleteRecord@\(whole.count)"])
    }

    @Test("signed records verify; unknown signers, wrong digests and odd hash functions are dropped")
    func hmacRules() throws {
        let good = try HMACSigner(signer: "vic", keyVersion: 1, hashFunction: .sha1, key: "some_key")
        let wrongKey = try HMACSigner(signer: "vic", keyVersion: 1, hashFunction: .sha1, key: "other")
        let stranger = try HMACSigner(signer: "eve", keyVersion: 1, key: "k")
        var tampered = Self.record("tampered", signer: good)
        tampered[tampered.count - 1] ^= 0x01
        var oddFunction = Self.record("odd", signer: good)
        // hmac_hash_function follows the message_length varint; force it to 7.
        oddFunction[oddFunction.firstIndex(of: 0x18)! + 1] = 0x07
        let stream = Self.record("signed", signer: good) + Self.record("plain") + Self.record("foreign", signer: stranger)
            + Self.record("wrong", signer: wrongKey) + tampered + oddFunction
        let checked = RecordDecoder.decodeAll(stream, keys: [good])
        #expect(Self.types(checked).map { $0.prefix { $0 != "@" } } == [
            "signed", "plain", "!unknownSigner", "!hmacMismatch", "!hmacMismatch", "!unsupportedHashFunction",
        ])
        guard case .record(let signed) = checked[0], case .record(let plain) = checked[1] else {
            Issue.record("expected records first")
            return
        }
        #expect(signed.verified && !plain.verified)
        // Without keys nothing is checked and every record decodes.
        #expect(RecordDecoder.decodeAll(stream).allSatisfy { if case .record = $0 { true } else { false } })
    }

    @Test("the encoder refuses a message over the limit and an empty field name")
    func encoderRefusals() {
        let big = Self.message("big", payload: String(repeating: "x", count: 65_536))
        #expect { try ProtobufEncoder().encode(big) } throws: { ($0 as? CodecError)?.code == .messageTooLarge }
        var unnamed = Self.message("unnamed")
        unnamed.fields = [Field(name: "", value: 1)]
        #expect { try ProtobufEncoder().encode(unnamed) } throws: { ($0 as? CodecError)?.code == .emptyFieldName }
        #expect { try JSONLinesEncoder().encode(unnamed) } throws: { ($0 as? CodecError)?.code == .emptyFieldName }
        // Just under the limit still encodes.
        let fits = Self.message("fits", payload: String(repeating: "x", count: 65_000))
        #expect((try? ProtobufEncoder().encode(fits)) != nil)
    }

    @Test("a signer name too long for a header is refused up front")
    func longSigner() {
        #expect(throws: CodecError.self) {
            try HMACSigner(signer: String(repeating: "s", count: 201), keyVersion: 1, key: "k")
        }
        #expect((try? HMACSigner(signer: String(repeating: "s", count: 200), keyVersion: .max, hashFunction: .sha1,
                                  key: "k")).map { s in (try? ProtobufEncoder(signer: s).encode(Self.message("m"))) != nil } == true)
    }
}
