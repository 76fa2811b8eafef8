import Testing

@testable import HekaClient

/// The protobuf writer byte for byte, and its bounds: a store past the capacity it was given
/// traps in a debug build before the byte is written.
@Suite struct ProtobufWriterTests {
    /// What `body` writes into a buffer of exactly `capacity` bytes, which it must fill:
    /// `finish()` checks that the writer's sizes and its writes agree.
    static func written(capacity: Int, _ body: (inout ProtobufWriter) -> Void) -> [UInt8] {
        var bytes = [UInt8](repeating: 0xEE, count: capacity)
        bytes.withUnsafeMutableBufferPointer { buffer in
            var writer = ProtobufWriter(buffer)
            body(&writer)
            writer.finish()
        }
        return bytes
    }

    static let varints: [(UInt64, [UInt8])] = [
        (0, [0x00]),
        (1, [0x01]),
        (127, [0x7F]),
        (128, [0x80, 0x01]),
        (300, [0xAC, 0x02]),
        (16_383, [0xFF, 0x7F]),
        (16_384, [0x80, 0x80, 0x01]),
        (UInt64(UInt32.max), [0xFF, 0xFF, 0xFF, 0xFF, 0x0F]),
        (UInt64(Int64.max), [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F]),
        (UInt64.max, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]),
    ]

    @Test("varints at the edges of each byte count")
    func varintEdges() {
        for (value, expected) in Self.varints {
            #expect(ProtobufSize.varint(value) == expected.count, "size of \(value)")
            #expect(Self.written(capacity: expected.count) { $0.varint(value) } == expected, "\(value)")
        }
    }

    @Test("negative int64 values take ten bytes, as protobuf specifies")
    func negativeSignedVarints() {
        let cases: [(Int64, [UInt8])] = [
            (-1, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]),
            (-128, [0x80, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]),
            (Int64(Int32.min), [0x80, 0x80, 0x80, 0x80, 0xF8, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]),
            (Int64.min, [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]),
            (0, [0x00]),
            (Int64.max, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F]),
        ]
        for (value, expected) in cases {
            #expect(ProtobufSize.signedVarint(value) == expected.count, "size of \(value)")
            #expect(Self.written(capacity: expected.count) { $0.signedVarint(value) } == expected, "\(value)")
        }
    }

    @Test("tags: field and wire type in one varint")
    func tags() {
        #expect(Self.written(capacity: 1) { $0.tag(1, 2) } == [0x0A])
        #expect(Self.written(capacity: 1) { $0.tag(15, 0) } == [0x78])
        #expect(Self.written(capacity: 2) { $0.tag(16, 2) } == [0x82, 0x01])
    }

    @Test("strings are copied whole by their UTF-8 count, NULs and all")
    func strings() {
        #expect(Self.written(capacity: 6) { $0.string(4, "a\u{0}b\u{0}") } == [0x22, 0x04, 0x61, 0x00, 0x62, 0x00])
        #expect(Self.written(capacity: 3) { $0.string(1, "\u{0}") } == [0x0A, 0x01, 0x00])
        #expect(Self.written(capacity: 2) { $0.string(3, "") } == [0x1A, 0x00])
        #expect(Self.written(capacity: 8) { $0.string(4, "é😀") }
            == [0x22, 0x06, 0xC3, 0xA9, 0xF0, 0x9F, 0x98, 0x80])
        let long = String(repeating: "x", count: 200)
        #expect(ProtobufSize.string(long) == 203)
        #expect(Self.written(capacity: 203) { $0.string(6, long) }
            == [0x32, 0xC8, 0x01] + Array(repeating: 0x78, count: 200))
    }

    @Test("collections without contiguous storage are written byte by byte, the same bytes")
    func nonContiguousCollections() {
        let repeated = repeatElement(UInt8(0xAB), count: 3)
        let range: ClosedRange<UInt8> = 0...4
        let mapped = [UInt8]([1, 2, 3]).lazy.map { $0 &* 2 }
        let empty = repeatElement(UInt8(0), count: 0)
        // Each really takes the walking path.
        #expect(repeated.withContiguousStorageIfAvailable { _ in true } == nil)
        #expect(range.withContiguousStorageIfAvailable { _ in true } == nil)
        #expect(mapped.withContiguousStorageIfAvailable { _ in true } == nil)

        #expect(Self.written(capacity: 5) { $0.lengthDelimited(5, repeated) } == [0x2A, 0x03, 0xAB, 0xAB, 0xAB])
        #expect(Self.written(capacity: 7) { $0.lengthDelimited(5, range) } == [0x2A, 0x05, 0, 1, 2, 3, 4])
        #expect(Self.written(capacity: 5) { $0.lengthDelimited(5, mapped) } == [0x2A, 0x03, 2, 4, 6])
        #expect(Self.written(capacity: 2) { $0.lengthDelimited(5, empty) } == [0x2A, 0x00])
        // The contiguous path gives the same bytes.
        #expect(Self.written(capacity: 7) { $0.lengthDelimited(5, Array(range)) } == [0x2A, 0x05, 0, 1, 2, 3, 4])
    }

    @Test("doubles are eight little-endian bytes")
    func doubles() {
        #expect(Self.written(capacity: 8) { $0.double(1.5) } == [0, 0, 0, 0, 0, 0, 0xF8, 0x3F])
        #expect(Self.written(capacity: 8) { $0.double(-0.0) } == [0, 0, 0, 0, 0, 0, 0, 0x80])
    }

    @Test("the written bytes and a region to patch are views of the buffer itself")
    func regions() {
        let bytes = Self.written(capacity: 6) { writer in
            writer.raw(UnsafeRawBufferPointer(start: nil, count: 0))  // nothing, no address
            writer.byte(1)
            writer.byte(0)
            writer.byte(0)
            writer.byte(4)
            writer.byte(5)
            writer.byte(6)
            #expect(writer.remaining == 0)
            #expect(Array(writer.written(from: 3)) == [4, 5, 6])
            #expect(writer.written(from: 6).isEmpty)
            let patch = writer.rewritable(at: 1, count: 2)
            patch[0] = 2
            patch[1] = 3
        }
        #expect(bytes == [1, 2, 3, 4, 5, 6])
    }

    @Test("a writer over an empty buffer writes nothing and finishes")
    func emptyBuffer() {
        #expect(Self.written(capacity: 0) { $0.raw(UnsafeRawBufferPointer(start: nil, count: 0)) } == [])
    }

    /// Runs `body` on a writer that is told it has `capacity` bytes of a larger buffer, so
    /// that a check that failed to fire would not corrupt memory: the process would simply
    /// exit normally and the exit test fail.
    static func overrun(capacity: Int, _ body: (inout ProtobufWriter) -> Void) {
        var bytes = [UInt8](repeating: 0, count: capacity + 64)
        bytes.withUnsafeMutableBufferPointer { buffer in
            var writer = ProtobufWriter(UnsafeMutableBufferPointer(rebasing: buffer[0..<capacity]))
            body(&writer)
        }
    }

    @Test("a short write fails the final check, in every build")
    func shortWriteTraps() async {
        await #expect(processExitsWith: .failure) {
            var bytes = [UInt8](repeating: 0, count: 4)
            bytes.withUnsafeMutableBufferPointer { buffer in
                var writer = ProtobufWriter(buffer)
                writer.byte(1)
                writer.finish()
            }
        }
    }

    #if DEBUG
    @Test("a store past the capacity traps in a debug build, before it is made")
    func overrunTraps() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            ProtobufWriterTests.overrun(capacity: 2) { writer in
                writer.byte(1)
                writer.byte(2)
                writer.byte(3)
            }
        }
        let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(message.contains("1 more bytes at offset 2 overrun the 2-byte buffer"), "\(message)")

        await #expect(processExitsWith: .failure, "a varint's second byte") {
            ProtobufWriterTests.overrun(capacity: 1) { $0.varint(128) }
        }
        await #expect(processExitsWith: .failure, "a negative int64 in nine bytes") {
            ProtobufWriterTests.overrun(capacity: 9) { $0.signedVarint(-1) }
        }
        await #expect(processExitsWith: .failure, "a string's bytes, copied at once") {
            ProtobufWriterTests.overrun(capacity: 5) { $0.string(1, "abcd") }
        }
        await #expect(processExitsWith: .failure, "a string with a NUL inside") {
            ProtobufWriterTests.overrun(capacity: 4) { $0.string(1, "a\u{0}b") }
        }
        await #expect(processExitsWith: .failure, "a non-contiguous collection, walked") {
            ProtobufWriterTests.overrun(capacity: 4) { $0.lengthDelimited(5, repeatElement(UInt8(7), count: 3)) }
        }
        await #expect(processExitsWith: .failure, "a double") {
            ProtobufWriterTests.overrun(capacity: 7) { $0.double(1) }
        }
        await #expect(processExitsWith: .failure, "a digest region past what was written") {
            ProtobufWriterTests.overrun(capacity: 4) { writer in
                writer.byte(0)
                writer.byte(0)
                _ = writer.rewritable(at: 1, count: 2)
            }
        }
    }

    @Test("a digest target of the wrong size traps in a debug build")
    func shortDigestTargetTraps() async {
        await #expect(processExitsWith: .failure) {
            let signer = try HMACSigner(signer: "vic", keyVersion: 1, hashFunction: .md5, key: "some_key")
            var target = [UInt8](repeating: 0, count: 64)
            target.withUnsafeMutableBytes { bytes in
                signer.writeAuthenticationCode(
                    for: UnsafeRawBufferPointer(start: nil, count: 0),
                    to: UnsafeMutableRawBufferPointer(rebasing: bytes[0..<15]))
            }
        }
    }
    #endif

    @Test("signed records: the digest is patched in place over the message where it lies")
    func encoderFillsItsRecord() throws {
        var rng = SeededGenerator(seed: 7)
        let signer = try HMACSigner(signer: "vic", keyVersion: 1, hashFunction: .sha1, key: "some_key")
        for _ in 0..<200 {
            let message = randomMessage(&rng)
            // finish() inside the encoder traps on any disagreement; the decoder checks the rest.
            let record = try ProtobufEncoder(signer: signer, maxMessageSize: .max).encode(message)
            let events = RecordDecoder.decodeAll(record, keys: [signer])
            guard case .record(let decoded)? = events.first, events.count == 1 else {
                Issue.record("expected one record, got \(events)")
                return
            }
            #expect(decoded.verified)
            #expect(decoded.message == message)
        }
    }
}
