import Foundation
import Streams
import Testing

@testable import HekaClient

/// The framing and HMAC vectors of WIRE.md §2, and heka-py 0.30.3's own records.
@Suite struct WireVectorTests {
    /// uuid "0123456789012345" (ASCII), timestamp 1000000, type "hmac", nothing else set.
    /// heka-py's encoder writes every field; hekad's vector message sets only three, so it
    /// is checked through the bare writer of those fields in swift-protobuf terms below.
    static let vectorMessage: [UInt8] = Array("0123456789012345".utf8)

    static let unsigned = "1e02081c1f0a103031323334353637383930313233343510c0843d1a04686d6163"
    static let md5 = "1e1d081c1800220376696328013210a873fdc854282e55d66368e8b91b58691f0a103031323334353637383930313233343510c0843d1a04686d6163"
    static let sha1 = "1e21081c1801220376696328013214200b3e54494c0689721e728966eeee39e10b46b31f0a103031323334353637383930313233343510c0843d1a04686d6163"

    /// The vector's message body, from the record itself.
    static var body: [UInt8] { Array(bytes(hex: unsigned).dropFirst(5)) }

    @Test("the three HMAC vectors are reproduced byte for byte", arguments: [
        (nil, unsigned), (HMACSigner.HashFunction.md5, md5), (.sha1, sha1),
    ] as [(HMACSigner.HashFunction?, String)])
    func hmacVector(function: HMACSigner.HashFunction?, expected: String) throws {
        let signer = try function.map { try HMACSigner(signer: "vic", keyVersion: 1, hashFunction: $0, key: "some_key") }
        let record = try Self.frame(Self.body, signer: signer)
        #expect(hex(record) == expected)
        // And our decoder reads the vector back, verifying the signature.
        let events = RecordDecoder.decodeAll(bytes(hex: expected), keys: signer.map { [$0] } ?? [])
        guard case .record(let decoded)? = events.first, events.count == 1 else {
            Issue.record("expected one record, got \(events)")
            return
        }
        #expect(decoded.verified == (signer != nil))
        #expect(decoded.message.type == "hmac")
        #expect(decoded.message.timestamp == 1_000_000)
        #expect(decoded.message.uuid == UUID(uuid: Self.vectorMessage.withUnsafeBytes { $0.loadUnaligned(as: uuid_t.self) }))
    }

    /// Frames and signs an already-encoded message body with the encoder's own header code.
    static func frame(_ body: [UInt8], signer: HMACSigner?) throws -> [UInt8] {
        let headerLength = RecordHeader.size(messageLength: body.count, signer: signer)
        var header = [UInt8](repeating: 0, count: headerLength)
        let digestOffset = header.withUnsafeMutableBufferPointer { buffer in
            var writer = ProtobufWriter(buffer)
            return RecordHeader.write(messageLength: body.count, signer: signer, to: &writer)
        }
        if let signer, let digestOffset {
            let digest = body.withUnsafeBytes { signer.authenticationCode(for: $0) }
            header.replaceSubrange(digestOffset..<digestOffset + digest.count, with: digest)
        }
        return [0x1E, UInt8(headerLength)] + header + [0x1F] + body
    }

    @Test("the HMAC vectors' digests agree with Python's hmac module")
    func hmacMatchesPython() throws {
        let md5 = bytes(hex: Self.md5)
        #expect(Array(md5[15..<31]) == independentHMAC(.md5, key: Array("some_key".utf8), message: Self.body))
        let sha1 = bytes(hex: Self.sha1)
        #expect(Array(sha1[15..<35]) == independentHMAC(.sha1, key: Array("some_key".utf8), message: Self.body))
    }

    @Test("every heka-py record decodes to its documented form",
          arguments: HekaPyVectors.shared.records.map(\.label))
    func hekaPyRecordDecodes(label: String) throws {
        let vector = try #require(HekaPyVectors.shared.records.first { $0.label == label })
        let events = RecordDecoder.decodeAll(bytes(hex: vector.record_hex))
        try #require(events.count == 1)
        guard case .record(let record) = events[0] else {
            Issue.record("\(label): \(events[0])")
            return
        }
        #expect(record.message == vector.decoded.message)
        #expect(hex(record.message.uuidBytes) == hex(Data(base64Encoded: vector.decoded.uuid)!))
    }

    @Test("re-encoding each decoded heka-py message gives heka-py's bytes",
          arguments: HekaPyVectors.shared.records.map(\.label))
    func hekaPyRecordReencodes(label: String) throws {
        let vector = try #require(HekaPyVectors.shared.records.first { $0.label == label })
        let record = try ProtobufEncoder().encode(vector.decoded.message)
        #expect(hex(record) == vector.record_hex)
        #expect(hex(try ProtobufEncoder().encodeMessage(vector.decoded.message)) == vector.message_hex)
    }

    @Test("the client's API builds heka-py's messages; only the bool differs, on purpose")
    func apiBuildsHekaPyMessages() throws {
        let vectors = HekaPyVectors.shared.records
        let capture = CapturingEncoder()
        let client = HekaClient(stream: DebugCaptureStream(), encoder: capture, logger: "refapp")

        // (a): heka-py sent `True` as INTEGER 1; this client sends BOOL true (WIRE.md §1).
        client.heka(type: "ref.plain", payload: "hello heka",
                    fields: ["int": 42, "float": 3.5, "bool": true, "str": "bar", "nested": ["a": "b", "n": 1]])
        // (b1) and (b3).
        client.incr("ref.counter", count: 3)
        client.timerSend("ref.timer_send", elapsed: 250, rate: 0.5)
        // (a2).
        client.error("disk sda1 is 93% full")

        let sent = capture.messages
        try #require(sent.count == 4)
        let expected = [vectors[0], vectors[2], vectors[4], vectors[1]].map(\.decoded.message)
        for (ours, theirs) in zip(sent, expected) {
            var ours = ours
            // The facts of the moment and the machine come from the vector.
            ours.uuid = theirs.uuid
            ours.timestamp = theirs.timestamp
            ours.pid = theirs.pid
            ours.hostname = theirs.hostname
            var theirs = theirs
            if let index = theirs.fields.firstIndex(where: { $0.name == "bool" }) {
                #expect(theirs.fields[index].value == .integers([1]))
                theirs.fields[index].value = .bools([true])
            }
            #expect(ours == theirs)
        }
    }
}

/// Keeps the messages the client encodes, and encodes them as protobuf.
final class CapturingEncoder: MessageEncoder, @unchecked Sendable {
    // Guarded by `lock`; a test helper.
    private let lock = NSLock()
    private var captured: [Message] = []

    var messages: [Message] { lock.withLock { captured } }

    func encode(_ message: Message) throws(CodecError) -> [UInt8] {
        lock.withLock { captured.append(message) }
        return try ProtobufEncoder().encode(message)
    }
}
