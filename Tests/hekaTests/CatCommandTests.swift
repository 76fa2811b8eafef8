import Foundation
import HekaClient
import LoopbackSupport
import Testing

@Suite struct CatCommandTests {
    /// A heka.ini whose client writes framed protobuf to `path`.
    func fileConfiguration(_ path: String) throws -> String {
        try temporaryFile("[heka]\nlogger = filed\nstream_class = file\nstream_path = \(path)\n")
    }

    func scratchPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("heka-\(UUID().uuidString)-\(name)").path
    }

    @Test("heka cat reads back what heka send wrote to a file, as JSON and as text")
    func catFileWrittenBySend() throws {
        let log = scratchPath("send.heka")
        let config = try fileConfiguration(log)
        defer { for path in [log, config] { try? FileManager.default.removeItem(atPath: path) } }
        for (payload, severity, field) in [("one", "info", "n=1"), ("two\nlines", "error", "n=2"), ("three", "3", "user=ann")] {
            let sent = try runHeka(["send", "--config", config, "--severity", severity, "--field", field, payload])
            #expect(sent.status == 0)
        }
        let json = try runHeka(["cat", log, "--format", "json"])
        #expect(json.status == 0)
        #expect(json.stderr == "heka cat: 3 messages, 0 problems\n")
        let messages = try JSONLinesDecoder.decodeAll(json.stdout).map { try $0.get() }
        #expect(messages.map(\.payload) == ["one", "two\nlines", "three"])
        #expect(messages.map(\.logger) == ["filed", "filed", "filed"])
        #expect(messages.map { $0.field("n") } == [1, 2, nil])

        let text = String(decoding: try runHeka(["cat", log]).stdout, as: UTF8.self)
        // Without the time at the start of each message's first line.
        let lines = text.split(separator: "\n").map { $0.hasPrefix(" ") ? String($0) : String($0.drop { $0 != " " }.dropFirst()) }
        #expect(lines == [
            "informational heka.send (filed) one", "    n=1",
            "error heka.send (filed) two", "    lines", "    n=2",
            "error heka.send (filed) three", "    user=ann",
        ])
        let stdin = try runHeka(["cat", "-", "--format", "count"], input: Array(try Data(contentsOf: URL(fileURLWithPath: log))))
        #expect(String(decoding: stdin.stdout, as: UTF8.self) == "3\n")
    }

    @Test("corrupt, cut-off and unverifiable bytes are reported with their offset and counted; exit 1")
    func problems() throws {
        let signer = try HMACSigner(signer: "ops", keyVersion: 1, key: "sesame")
        let good = try ProtobufEncoder().encode(Message(type: "good", payload: "a"))
        let signed = try ProtobufEncoder(signer: signer).encode(Message(type: "signed", payload: "b"))
        let forged = try ProtobufEncoder(signer: HMACSigner(signer: "ops", keyVersion: 1, key: "guess"))
            .encode(Message(type: "forged"))
        let input = Array("junk".utf8) + good + signed + forged + good + Array(good.prefix(10))
        let path = scratchPath("bad.heka")
        try Data(input).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try runHeka(["cat", path, "--format", "count", "--key", "ops_1=sesame"])
        #expect(result.status == 1)
        #expect(String(decoding: result.stdout, as: UTF8.self) == "3\n")
        let forgedAt = 4 + good.count + signed.count
        let cutAt = forgedAt + forged.count + good.count
        #expect(result.stderr == """
            heka cat: \(path): skipped 4 bytes before a record separator at byte 0
            heka cat: \(path): record at byte \(forgedAt): HMAC does not match (signer ops_1)
            heka cat: \(path): input ends inside the record at byte \(cutAt) (10 bytes of it present)
            heka cat: 3 messages, 1 verified, 3 problems

            """)
        let quiet = try runHeka(["cat", path, "--quiet"])
        #expect(quiet.status == 1 && quiet.stderr.isEmpty)
    }

    @Test("JSON lines are read too, and a bad line is reported with its number")
    func jsonLines() throws {
        var input = try JSONLinesEncoder().encode(Message(type: "a", payload: "first"))
        input += Array("{\"not\": \"a message\"}\n\n".utf8)
        input += try JSONLinesEncoder().encode(Message(type: "b", payload: "third"))
        let result = try runHeka(["cat", "--format", "json"], input: input)
        #expect(result.status == 1)
        #expect(result.stderr == "heka cat: stdin: line 2: no \"uuid\"\nheka cat: 2 messages, 1 problem\n")
        let messages = try JSONLinesDecoder.decodeAll(result.stdout).map { try $0.get() }
        #expect(messages.map(\.payload) == ["first", "third"])
    }

    @Test("--match selects with hekad's syntax; a mistake shows where it is")
    func match() throws {
        let demo = try runHeka(["demo"]).stdout
        let selected = try runHeka(["cat", "--format", "json", "--match",
                                    "Severity <= 3 && Type != 'stacktrace' || Fields[name] =~ /^demo\\.d/"], input: demo)
        #expect(selected.status == 0)
        #expect(selected.stderr == "heka cat: 13 messages, 4 matched, 0 problems\n")
        let payloads = try JSONLinesDecoder.decodeAll(selected.stdout).map { try $0.get().payload }
        #expect(payloads == ["payment gateway answered 502", "database replica lost",
                             "checkout failed\nupstream did not answer within 30 s", "42"])

        let wrong = try runHeka(["cat", "--match", "Type == 'x' &&"], input: demo)
        #expect(wrong.status == 64)
        #expect(wrong.stderr.hasPrefix("""
            Error: --match: expected a message variable, TRUE, FALSE or ( at character 15
              Type == 'x' &&
                            ^
            """))
    }

    @Test("--unpack shows the stack trace of a raven message as text and as JSON")
    func unpack() throws {
        let demo = try runHeka(["demo"]).stdout
        let text = String(decoding: try runHeka(["cat", "--unpack", "--match", "Type == 'stacktrace'"], input: demo).stdout,
                          as: UTF8.self)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasSuffix(" error stacktrace (heka-demo) DemoError: upstream did not answer within 30 s") == true)
        #expect(lines.contains { $0.hasPrefix("    event ") && $0.contains("level error") && $0.contains("culprit heka in static Demo.sendStackTrace(through:)") })
        #expect(lines.contains("    DemoError: upstream did not answer within 30 s"))
        let frame = try #require(lines.firstIndex { $0.hasPrefix("      at static Demo.sendStackTrace(through:) (Demo.swift:") })
        #expect(lines[frame + 1].hasSuffix("| client.raven(\"demo: payment failed\", error: error, extra: [\"order\": 1234, \"attempt\": 2])"))
        #expect(lines.contains { $0.hasPrefix("      at static Demo.sendAll(through:) (Demo.swift:") })
        #expect(lines.last == "    extra: msg=\"demo: payment failed\" attempt=2 order=1234")

        let json = try runHeka(["cat", "--unpack", "--format", "json", "--match", "Type == 'stacktrace'"], input: demo)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout)) as? [String: Any])
        #expect(object["payload"] == nil)
        let event = try #require(object["event"] as? [String: Any])
        #expect((event["culprit"] as? String)?.contains("sendStackTrace") == true)
        let exception = try #require((event["exception"] as? [String: Any])?["values"] as? [[String: Any]])
        #expect(exception.first?["type"] as? String == "DemoError")
        #expect(exception.first?["value"] as? String == "upstream did not answer within 30 s")
    }

    @Test("--group-by counts per key, largest group first")
    func groupBy() throws {
        let demo = try runHeka(["demo"]).stdout
        let table = try runHeka(["cat", "--group-by", "type", "--match", "Type != 'oldstyle'"], input: demo)
        #expect(table.status == 0)
        #expect(String(decoding: table.stdout, as: UTF8.self) == """
            count  type
                2  timer
                2  gauge
                1  demo.request
                1  counter
                1  stacktrace

            """)
        let json = try runHeka(["cat", "--group-by", "type,name", "--format", "json", "--match", "Type == 'timer'"],
                               input: demo)
        #expect(String(decoding: json.stdout, as: UTF8.self) == """
            {"count":1,"type":"timer","name":"demo.render"}
            {"count":1,"type":"timer","name":"demo.db_query"}

            """)
        let byChecksum = try runHeka(["cat", "--group-by", "checksum,culprit"], input: demo + demo)
        let rows = String(decoding: byChecksum.stdout, as: UTF8.self).split(separator: "\n")
        #expect(rows.count == 3)
        #expect(rows[1] == "   24  -" + String(repeating: " ", count: 31) + "  -")
        #expect(rows[2].hasPrefix("    2  ") && rows[2].hasSuffix("heka in static Demo.sendStackTrace(through:)"))
    }

    @Test("an input that cannot be opened exits 2 and says why")
    func unreadable() throws {
        let result = try runHeka(["cat", "/nonexistent/heka.log"])
        #expect(result.status == 2)
        #expect(result.stderr == """
            heka cat: cannot open /nonexistent/heka.log: No such file or directory
            heka cat: 0 messages, 0 problems

            """)
    }

    @Test("heka cat --udp receives what heka send sends; Ctrl-C ends it with a summary")
    func udpListener() throws {
        let cat = try RunningHeka(["cat", "--udp", "127.0.0.1:0", "--format", "json", "--key", "ops_1=sesame"])
        let port = try cat.listeningPort()
        for arguments in [["plain", "--field", "n=1"], ["signed", "--sign", "ops:1:sesame"]] {
            let sent = try runHeka(["send", "--udp", "127.0.0.1:\(port)"] + arguments)
            #expect(sent.status == 0)
        }
        let result = cat.interrupt()
        #expect(result.status == 0)
        let messages = try JSONLinesDecoder.decodeAll(result.stdout).map { try $0.get() }
        #expect(messages.map(\.payload) == ["plain", "signed"])
        #expect(messages.first?.field("n") == 1)
        #expect(result.stderr.hasSuffix(
            "heka cat: 2 messages, 1 verified, 0 problems, 0 datagrams dropped by the kernel before reading\n"))
    }

    @Test("heka cat --tcp decodes each connection and stops at --limit")
    func tcpListener() throws {
        let cat = try RunningHeka(["cat", "--tcp", "127.0.0.1:0", "--limit", "2", "--format", "json"])
        let port = try cat.listeningPort()
        for payload in ["first", "second"] {
            #expect(try runHeka(["send", "--tcp", "127.0.0.1:\(port)", payload]).status == 0)
        }
        let result = cat.wait()
        #expect(result.status == 0)
        let messages = try JSONLinesDecoder.decodeAll(result.stdout).map { try $0.get() }
        #expect(messages.map(\.payload) == ["first", "second"])
    }
}
