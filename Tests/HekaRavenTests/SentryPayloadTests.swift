import Foundation
import Testing

@testable import HekaRaven

@Suite struct SentryPayloadTests {
    static func python(_ script: String, _ argument: String) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, argument]
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("zlib-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: out) }
        process.standardOutput = try! FileHandle(forWritingTo: out)
        try! process.run()
        process.waitUntilExit()
        return String(decoding: try! Data(contentsOf: out), as: UTF8.self).trimmingCharacters(in: .newlines)
    }

    @Test("a packed payload is what Python's zlib and base64 unpack, with header 78 9c")
    func pythonUnpacks() throws {
        let json = #"{"event_id":"abc","message":"ZeroDivisionError: é","extra":{"n":[1,2,3]}}"#
        let payload = SentryPayload.pack(Array(json.utf8))
        #expect(Array(Data(base64Encoded: payload)!.prefix(2)) == [0x78, 0x9C])
        #expect(!payload.contains("\n"))
        let unpacked = Self.python("import sys,zlib,base64; print(zlib.decompress(base64.b64decode(sys.argv[1])).decode())", payload)
        #expect(unpacked == json)
    }

    @Test("a payload packed by Python unpacks here; the heka-py-raven blob too")
    func unpacksPython() throws {
        let text = String(repeating: "frame ", count: 5000)
        let packed = Self.python("import sys,zlib,base64; print(base64.b64encode(zlib.compress(sys.argv[1].encode())).decode())", text)
        #expect(try SentryPayload.unpack(packed) == Array(text.utf8))
    }

    @Test("bad payloads are refused with a reason; a bomb stops at the limit")
    func refusals() throws {
        #expect(throws: SentryPayload.Error.self) { try SentryPayload.unpack("not base64!") }
        #expect(throws: SentryPayload.Error.self) { try SentryPayload.unpack(Data([1, 2, 3]).base64EncodedString()) }
        let truncated = Data(SentryPayload.deflate(Array(repeating: 7, count: 1000)).dropLast(3)).base64EncodedString()
        #expect(throws: SentryPayload.Error.self) { try SentryPayload.unpack(truncated) }
        let bomb = SentryPayload.pack([UInt8](repeating: 0, count: 5_000_000))
        #expect(throws: SentryPayload.Error.self) { try SentryPayload.unpack(bomb, limit: 1_000_000) }
        #expect(try SentryPayload.unpack(bomb).count == 5_000_000)
    }

    @Test("packing is what zlib's compress2 makes at the default level")
    func sameAsCompress2() {
        let json = Array(String(repeating: #"{"function":"checkout","lineno":42},"#, count: 300).utf8)
        let ours = SentryPayload.pack(json)
        let python = Self.python(
            "import sys,zlib,base64; print(base64.b64encode(zlib.compress(sys.argv[1].encode(), 6)).decode())",
            String(decoding: json, as: UTF8.self))
        #expect(ours == python)
    }

    @Test("a segment compressed once and spliced into a payload inflates to the whole JSON, for Python too")
    func splicedSegment() throws {
        let head = Array(#"{"event_id":"abc","frames":""#.utf8)
        let section = Array((0..<400).map { "f\($0) line \($0 % 7);" }.joined().utf8)
        let tail = Array(#"","level":40}"#.utf8)
        let json = head + section + tail
        let segment = SentryPayload.Segment(section)
        #expect(segment.holds(json[head.count..<(head.count + section.count)]))
        #expect(!segment.holds(json[0..<section.count]))
        for _ in 0..<2 {  // the same segment serves again
            let payload = SentryPayload.pack(json, reusing: segment, at: head.count..<(head.count + section.count))
            #expect(Array(Data(base64Encoded: payload)!.prefix(2)) == [0x78, 0x9C])
            #expect(try SentryPayload.unpack(payload) == json)
            let unpacked = Self.python(
                "import sys,zlib,base64; print(zlib.decompress(base64.b64decode(sys.argv[1])).decode())", payload)
            #expect(unpacked == String(decoding: json, as: UTF8.self))
        }
    }
}
