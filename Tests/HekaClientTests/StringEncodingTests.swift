import Foundation
import HekaClient
import Testing

@Suite struct StringEncodingTests {
    @Test("strings of every shape are written whole: empty, small, large, non-ASCII, with NULs inside", arguments: [
        "", "a", "fifteen bytes!!", "sixteen bytes!!!", String(repeating: "long ", count: 40), "é日本\u{1F600}",
        "nul\u{0}inside\u{0}", "\u{0}", "quote \" backslash \\ newline \n \u{2028}",
    ])
    func shapes(text: String) throws {
        let message = Message(
            uuid: UUID(), timestamp: 1, type: text, logger: text, payload: text, hostname: text,
            fields: [Field(name: "k" + text, value: .strings([text, text]), representation: text)])
        let record = try ProtobufEncoder().encode(message)
        guard case .record(let decoded)? = RecordDecoder.decodeAll(record).first else {
            Issue.record("the record does not decode")
            return
        }
        #expect(decoded.message == message)
        let line = try JSONLinesEncoder().encode(message)
        #expect(try JSONLinesDecoder.decode(line: line.dropLast()) == message)
    }

    @Test("strings and bytes of every length up to 40 are copied byte for byte (short ones word-wise)")
    func lengths() throws {
        for length in 0...40 {
            let text = String((0..<length).map { Character(UnicodeScalar(UInt8(65 + $0 % 58))) })
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: 255 - $0) }
            let message = Message(
                uuid: UUID(), timestamp: 1, type: text, payload: text,
                fields: [Field(name: "s" + text, value: FieldValue(text)), Field(name: "b", value: FieldValue(bytes: bytes))])
            let record = try ProtobufEncoder().encode(message)
            guard case .record(let decoded)? = RecordDecoder.decodeAll(record).first else {
                Issue.record("the record with strings of \(length) bytes does not decode")
                continue
            }
            #expect(decoded.message == message, "strings of \(length) bytes")
        }
    }
}
