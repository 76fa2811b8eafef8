import Foundation
import Testing

@testable import HekaClient

/// Hostile input costs time linear in its size and memory bounded by the decoders' limits,
/// and is reported in a bounded number of problems, each with its byte offset.
@Suite struct HostileInputTests {
    static func record(_ type: String) -> [UInt8] { RecordDecoderTests.record(type) }
    static func types(_ events: [RecordDecoder.Event]) -> [String] { RecordDecoderTests.types(events) }

    @Test("a flood of 0x1E bytes is two problems, not one per byte, however it arrives")
    func separatorFlood() {
        let flood = [UInt8](repeating: 0x1E, count: 100_000)
        let alone = RecordDecoder.decodeAll(flood)
        #expect(Self.types(alone) == ["!invalidHeader@0", "!skippedBytes@1"])
        guard case .error(let merged)? = alone.last else {
            Issue.record("expected the merged problem last")
            return
        }
        #expect(merged.message
            == "skipped 99999 bytes at byte 1: 99968 more bad headers or runs of stray bytes before the end of the input")
        let stream = flood + Self.record("after") + Array("junk".utf8) + Self.record("last")
        let events = RecordDecoder.decodeAll(stream)
        #expect(Self.types(events) == ["!invalidHeader@0", "!skippedBytes@1", "after", "!skippedBytes@\(100_000 + Self.record("after").count)", "last"])
        var rng = SeededGenerator(seed: 18)
        #expect(RecordDecoderTests.eventsInPieces(stream, sizes: { Int.random(in: 1...5000, using: &rng) }) == events)
    }

    @Test("random bytes are reported as a bounded number of problems")
    func randomBytes() {
        var rng = SeededGenerator(seed: 9)
        let noise = (0..<200_000).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let events = RecordDecoder.decodeAll(noise + Self.record("kept"))
        #expect(events.count <= 4, "\(events.count) events")
        #expect(Self.types(events).last == "kept")
    }

    @Test("a record with a string that is not UTF-8 is kept and the string reported at its offset")
    func invalidUTF8() throws {
        var bytes = Self.record("t")
        let encoded = try ProtobufEncoder().encode(RecordDecoderTests.message("t", payload: "XYZ"))
        let at = try #require(encoded.firstRange(of: Array("XYZ".utf8))).lowerBound
        bytes = encoded
        bytes.replaceSubrange(at..<at + 3, with: [0xFF, 0xFE, 0x41])
        let events = RecordDecoder.decodeAll(bytes)
        #expect(Self.types(events) == ["!invalidUTF8@\(at - 1)", "t"])
        guard case .error(let problem) = events[0], case .record(let kept) = events[1] else { return }
        #expect(problem.message == "payload at byte \(at - 1) is not valid UTF-8; shown with U+FFFD")
        #expect(kept.message.payload == "\u{FFFD}\u{FFFD}A")
    }

    @Test("a signer's name quoted in a problem cannot act on a terminal")
    func signerNameEscaped() throws {
        let hostile = try HMACSigner(signer: "x\u{1B}]0;owned\u{07}", keyVersion: 1, key: "k")
        let events = RecordDecoder.decodeAll(try ProtobufEncoder(signer: hostile).encode(RecordDecoderTests.message("t")),
                                             keys: [try HMACSigner(signer: "ops", keyVersion: 1, key: "k")])
        guard case .error(let problem)? = events.first else {
            Issue.record("expected the unknown signer")
            return
        }
        #expect(problem.message == #"record at byte 0: no key for signer x\u{1B}]0;owned\u{7}_1"#)
    }

    @Test("field values of another type than declared are reported; the record keeps the rest")
    func valueTypeMismatch() throws {
        var message = RecordDecoderTests.message("t")
        message.fields = [Field(name: "n", value: "text"), Field(name: "ok", value: true)]
        var bytes = try ProtobufEncoder().encode(message)
        // The first field: name "n" (0A 01 6E), then value_type STRING (10 00): make it INTEGER.
        let at = try #require(bytes.firstRange(of: [0x0A, 0x01, 0x6E, 0x10, 0x00])).lowerBound
        bytes[at + 4] = 0x02
        let events = RecordDecoder.decodeAll(bytes)
        #expect(Self.types(events).count == 2 && Self.types(events).last == "t")
        guard case .error(let problem) = events[0], case .record(let kept) = events[1] else {
            Issue.record("expected a problem, then the record")
            return
        }
        #expect(problem.code == .valueTypeMismatch)
        #expect(problem.message.hasPrefix("field \"n\" at byte \(at - 1) declares value_type INTEGER but carries 1 STRING value"))
        #expect(kept.message.fields.map(\.name) == ["n", "ok"])
        #expect(kept.message.fields[0].value.count == 0 && kept.message.fields[1].value.bool == true)
    }

    @Test("a JSON line over the limit is one problem at its offset; memory stays bounded; the next line decodes")
    func longJSONLine() throws {
        let good = try JSONLinesEncoder().encode(RecordDecoderTests.message("after"))
        let limit = 4096
        var decoder = JSONLinesDecoder(maxLineLength: limit)
        var results: [Result<Message, CodecError>] = []
        var largestPending = 0
        decoder.append(Array("{\"x\":\"".utf8))
        for _ in 0..<2000 {
            decoder.append([UInt8](repeating: UInt8(ascii: "a"), count: 512))
            while let result = decoder.next() { results.append(result) }
            largestPending = max(largestPending, decoder.pendingByteCount)
        }
        decoder.append(Array("\"}\n".utf8) + good)
        while let result = decoder.next() { results.append(result) }
        #expect(largestPending <= limit + 512, "\(largestPending) bytes held")
        #expect(results.count == 2)
        guard case .failure(let problem) = results[0], case .success(let after) = results[1] else {
            Issue.record("expected the long line's problem, then the next message")
            return
        }
        #expect(problem.code == .lineTooLong && problem.offset == 0)
        #expect(problem.message == "line 1: longer than the 4096-byte limit at byte 0; skipped to its newline")
        #expect(after.type == "after")
        #expect(decoder.lineNumber == 3)
    }

    @Test("a long line is found the same whole or in pieces, and JSON errors name offsets in the whole input")
    func lineSplitting() throws {
        let good = try JSONLinesEncoder().encode(RecordDecoderTests.message("ok"))
        let input = good + Array("{\"uuid\": tru}\n".utf8) + [UInt8](repeating: 0x20, count: 300) + [0x0A] + good
        let whole = JSONLinesDecoder.decodeAll(input, maxLineLength: 256)
        var decoder = JSONLinesDecoder(maxLineLength: 256)
        var pieces: [Result<Message, CodecError>] = []
        for byte in input {
            decoder.append([byte])
            while let result = decoder.next() { pieces.append(result) }
        }
        if let last = decoder.finish() { pieces.append(last) }
        #expect(pieces.map(Self.describe) == whole.map(Self.describe))
        #expect(whole.map(Self.describe) == [
            "ok", "invalidJSON@\(good.count + 9): line 2: invalid literal at byte \(good.count + 9)",
            "lineTooLong@\(good.count + 14): line 3: longer than the 256-byte limit at byte \(good.count + 14); skipped to its newline",
            "ok",
        ])
    }

    static func describe(_ result: Result<Message, CodecError>) -> String {
        switch result {
        case .success(let message): message.type
        case .failure(let error): "\(error.code)@\(error.offset ?? -1): \(error.message)"
        }
    }

    @Test("the line splitter looks at each byte once, however the line arrives")
    func splitterIsLinear() {
        var lines = LineSplitter(maxLineLength: 1 << 30)
        var handed = 0
        for _ in 0..<4000 {
            lines.append([UInt8](repeating: 0x41, count: 256))
            while lines.next() != nil { handed += 1 }
        }
        lines.append([0x0A])
        guard case .line(let line, let number, let offset)? = lines.next() else {
            Issue.record("expected the line")
            return
        }
        #expect(handed == 0 && line.count == 1_024_000 && number == 1 && offset == 0)
        #expect(lines.scannedByteCount == 1_024_001, "each byte is scanned once")
    }
}
