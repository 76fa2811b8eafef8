import Foundation
import Testing

@testable import HekaClient

@Suite struct JSONLinesTests {
    static let sample = Message(
        uuid: UUID(uuidString: "1C36934F-2E05-47F0-9195-84784098E48B")!, timestamp: 1_400_000_000_012_000_000,
        type: "ref.plain", logger: "refapp", severity: .informational, payload: "hello \"heka\"\n",
        pid: 55, hostname: "localhost",
        fields: (["int": 42, "float": 3.0, "ok": true, "tags": ["a", "b"], "str": "bar"] as Fields).fields
            + [Field(name: "blob", value: .bytes([[0, 255]])), Field(name: "ms", value: 12, representation: "ms"),
               Field(name: "none", value: .integers([])), Field(name: "nan", value: .doubles([.nan, -.infinity]))])

    @Test("the line has the documented shape")
    func shape() throws {
        let line = String(decoding: try JSONLinesEncoder().encode(Self.sample), as: UTF8.self)
        #expect(line == #"{"uuid":"1c36934f-2e05-47f0-9195-84784098e48b","timestamp":1400000000012000000,"#
            + #""time":"2014-05-13T16:53:20.012000000Z","type":"ref.plain","logger":"refapp","severity":6,"#
            + #""payload":"hello \"heka\"\n","env_version":"0.8","pid":55,"hostname":"localhost","fields":{"#
            + #""int":42,"float":3.0,"ok":true,"tags":["a","b"],"str":"bar","blob":{"type":"BYTES","value":["AP8="]},"#
            + #""ms":{"type":"INTEGER","value":[12],"representation":"ms"},"none":{"type":"INTEGER","value":[]},"#
            + #""nan":{"type":"DOUBLE","value":["NaN","-Infinity"]}}}"# + "\n")
    }

    @Test("every line decodes back into the same message, random messages included")
    func roundTrip() throws {
        #expect(try JSONLinesDecoder.decode(line: try JSONLinesEncoder().encode(Self.sample).dropLast()) == Self.sample)
        var rng = SeededGenerator(seed: 11)
        var stream: [UInt8] = []
        var messages: [Message] = []
        for _ in 0..<500 {
            let message = randomMessage(&rng)
            messages.append(message)
            stream += try JSONLinesEncoder().encode(message)
        }
        let decoded = JSONLinesDecoder.decodeAll(stream).map { try? $0.get() }
        #expect(decoded == messages)
    }

    @Test("Python's json module reads every line, with the same values")
    func pythonReadsIt() throws {
        var rng = SeededGenerator(seed: 5)
        let messages = (0..<50).map { _ in randomMessage(&rng) } + [Self.sample]
        let stream = try messages.flatMap { try JSONLinesEncoder().encode($0) }
        // Python re-emits what it parsed (canonical key order kept); we compare values.
        let script = """
            import json, sys
            out = []
            for line in sys.stdin.buffer.read().decode('utf-8').split('\\n'):
                if line:
                    m = json.loads(line)
                    out.append([m['uuid'], m['timestamp'], m['type'], m['payload'], m['severity'], list(m['fields'].keys())])
            print(json.dumps(out))
            """
        let output = runPython(script, input: stream)
        let parsed = try JSONSerialization.jsonObject(with: Data(output.utf8)) as! [[Any]]
        try #require(parsed.count == messages.count)
        for (row, message) in zip(parsed, messages) {
            #expect(row[0] as? String == message.uuid.uuidString.lowercased())
            #expect((row[1] as? NSNumber)?.int64Value == message.timestamp)
            #expect(row[2] as? String == message.type)
            #expect(row[3] as? String == message.payload)
            #expect((row[4] as? NSNumber)?.int32Value == message.severity.rawValue)
            // Python keeps the last of duplicate names; compare distinct names in order.
            var seen = Set<String>()
            let names = message.fields.map { $0.name }.filter { seen.insert($0).inserted }
            #expect(Set(row[5] as! [String]) == Set(names))
        }
    }

    @Test("bad lines are reported with their line number; good lines around them survive")
    func badLines() throws {
        let good = try JSONLinesEncoder().encode(Self.sample)
        let input = good + Array("\n{\"uuid\":1}\nnot json\n".utf8) + good.dropLast()
        let results = JSONLinesDecoder.decodeAll(input)
        #expect(results.count == 4)
        #expect((try? results[0].get()) == Self.sample)
        #expect((try? results[3].get()) == Self.sample, "a last line without a newline still decodes")
        for (index, line) in [(1, 3), (2, 4)] {
            guard case .failure(let error) = results[index] else {
                Issue.record("line \(line) should fail")
                continue
            }
            #expect(error.code == .invalidJSON)
            #expect(error.message.hasPrefix("line \(line): "))
        }
    }

    @Test("RFC 3339 times are exact to the nanosecond, before 1970 too", arguments: [
        (Int64(0), "1970-01-01T00:00:00.000000000Z"),
        (1_400_000_000_012_000_000, "2014-05-13T16:53:20.012000000Z"),
        (-1, "1969-12-31T23:59:59.999999999Z"),
        (951_782_400_000_000_001, "2000-02-29T00:00:00.000000001Z"),
        (Int64.max, "2262-04-11T23:47:16.854775807Z"),
    ])
    func rfc3339(nanoseconds: Int64, expected: String) {
        #expect(RFC3339.format(nanoseconds: nanoseconds) == expected)
    }

    @Test("the JSON parser refuses what RFC 8259 refuses", arguments: [
        "{", "[1,]", "01", "1.", "\"\\x\"", "\"\u{01}\"", "{\"a\" 1}", "tru", "[1] 2", "\"\\ud800\"",
        String(repeating: "[", count: 100) + String(repeating: "]", count: 100),
    ])
    func parserRefuses(text: String) {
        #expect(throws: CodecError.self) { try JSONParser.parse(Array(text.utf8)) }
    }

    @Test("the JSON parser takes a string's bytes as they are exactly when they are UTF-8, with or without escapes")
    func parserUTF8() throws {
        // Bytes that make valid and invalid sequences (overlong, surrogate, truncated, stray).
        let pool: [UInt8] = [0x41, 0xC3, 0xA9, 0xE2, 0x82, 0xAC, 0xF0, 0x9F, 0x98, 0x80, 0xFF, 0xC0, 0xAF, 0xED, 0xA0, 0xBF]
        var generator = SeededGenerator(seed: 7)
        var valid = 0
        for _ in 0..<3000 {
            let body = (0..<Int(generator.next() % 9)).map { _ in pool[Int(generator.next() % UInt64(pool.count))] }
            for prefix: [UInt8] in [[], [0x5C, 0x6E]] {
                let text = [0x22] + prefix + body + [0x22]
                let expected = String(validating: body, as: UTF8.self).map { (prefix.isEmpty ? "" : "\n") + $0 }
                switch Result(catching: { () throws(CodecError) in try JSONParser.parse(text) }) {
                case .success(let value):
                    #expect(value == .string(expected ?? "?"), "\(text)")
                    valid += 1
                case .failure(let error):
                    #expect(expected == nil, "\(text)")
                    #expect(error.description == "invalidJSON: string is not valid UTF-8 at byte \(text.count)", "\(error)")
                }
            }
        }
        #expect(valid > 500 && valid < 5500)
        #expect(throws: CodecError.self) { try JSONParser.parse(Array("\"a\u{01}\"".utf8)) }
        #expect(throws: CodecError.self) { try JSONParser.parse(Array("[\"ab\u{01}\"]".utf8)) }
        if case .failure(let error) = Result(catching: { () throws(CodecError) in
            try JSONParser.parse(Array("[\"ab\u{01}\"]".utf8))
        }) {
            #expect(error.description == "invalidJSON: control character in a string at byte 5")
        }
    }

    @Test("the JSON parser reads escapes and surrogate pairs")
    func parserEscapes() throws {
        let value = try JSONParser.parse(Array(#"["\u00e9\ud83d\ude00\n\/", -1.5e3, {"k": null}]"#.utf8))
        #expect(value == .array([.string("é😀\n/"), .number("-1.5e3"), .object([("k", .null)])]))
    }
}
