import Foundation
import SwiftProtobuf
import Testing

@testable import HekaClient

/// The hand-written codec against swift-protobuf, generated from Protos/message.proto.
@Suite struct ProtobufConformanceTests {
    @Test("2,000 random messages encode byte for byte as swift-protobuf encodes them")
    func encoderMatchesSwiftProtobuf() throws {
        var rng = SeededGenerator(seed: 0x4845_4B41)
        for round in 0..<2000 {
            let message = randomMessage(&rng)
            let ours = try ProtobufEncoder(maxMessageSize: .max).encodeMessage(message)
            let theirs: [UInt8] = try referenceMessage(message).serializedBytes()
            #expect(ours == theirs, "round \(round)")
            if ours != theirs { return }
        }
    }

    @Test("swift-protobuf reads our records back as the same messages, and we read theirs")
    func roundTripBothWays() throws {
        var rng = SeededGenerator(seed: 7)
        for round in 0..<500 {
            let message = randomMessage(&rng)
            let record = try ProtobufEncoder(maxMessageSize: .max).encode(message)
            let decoded = try independentlyDecode(record)
            #expect(decoded.count == 1 && decoded[0].1 == message, "round \(round)")

            let theirs: [UInt8] = try referenceMessage(message).serializedBytes()
            let ours = try theirs.withUnsafeBytes { raw in try HekaMessage(protobuf: raw) }
            #expect(ours == message, "round \(round)")
        }
    }

    @Test("unpacked numeric arrays, unknown fields and fields in any order are read as proto2 requires")
    func decoderIsLenientWhereProtobufIs() throws {
        // A field with value_type INTEGER and two unpacked integers, then an unknown
        // field 15 (varint), written before the name.
        let field: [UInt8] = [0x10, 0x02, 0x30, 0x05, 0x30, 0x07, 0x78, 0x01, 0x0A, 0x01, UInt8(ascii: "n")]
        var body: [UInt8] = [0x10, 0x01, 0x0A, 0x10] + [UInt8](repeating: 0xAB, count: 16)
        body += [0x52, UInt8(field.count)] + field
        let message = try body.withUnsafeBytes { try HekaMessage(protobuf: $0) }
        #expect(message.fields == [Field(name: "n", value: .integers([5, 7]))])
        #expect(message.timestamp == 1)
        #expect(message.severity == .debug, "an absent severity reads as 7, as in hekad")
        let reference = try Message_Message(serializedBytes: body)
        #expect(modelMessage(reference).fields == message.fields)
    }

    @Test("malformed protobuf is refused with the byte offset", arguments: [
        ([0x0A, 0x05, 0x01], "length 5 runs past the end at byte 1"),
        ([0x10, 0x01], "message has no uuid at byte 0"),
        ([0x0A, 0x02, 0x01, 0x02, 0x10, 0x01], "uuid has 2 bytes, expected 16 at byte 0"),
        ([0x10, 0xFF], "truncated varint at byte 1"),
        ([0x00], "field number 0 at byte 0"),
        ([0x7F], "unsupported wire type 7 at byte 1"),
        ([0x17], "field timestamp has wire type 7, expected 0 at byte 1"),
    ] as [([UInt8], String)])
    func malformed(body: [UInt8], expected: String) {
        #expect {
            try body.withUnsafeBytes { try HekaMessage(protobuf: $0) }
        } throws: { error in
            (error as? CodecError)?.code == .invalidProtobuf && (error as? CodecError)?.message.hasSuffix(expected) == true
        }
    }
}
