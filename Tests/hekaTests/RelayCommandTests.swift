import Foundation
import HekaClient
import HekaRaven
import Testing

/// `heka relay` as a binary: its help, its INI section, and what it refuses.
@Suite struct RelayCommandTests {
    private func scratch() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("heka-relay-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test("--help describes the inputs, the spool, the guarantees and the INI section")
    func help() throws {
        let result = try runHeka(["relay", "--help"])
        let text = String(decoding: result.stdout, as: UTF8.self)
        #expect(result.status == 0)
        for phrase in ["--dsn", "--spool", "--stats-every", "--store", "[heka_relay]", "Retry-After", "--max-connections"] {
            #expect(text.contains(phrase), "\(phrase)")
        }
    }

    @Test("messages that cannot be sent are counted as dropped and reported; nothing reaches the network")
    func dropsAreReported() throws {
        let folder = try scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let messages = [
            Message(type: "stacktrace", severity: 3, payload: SentryPayload.pack(Array(#"{"message":"x"}"#.utf8))),
            Message(type: "sentry", severity: 3, payload: "not base64",
                    fields: [Field(name: "dsn", value: FieldValue("https://k@sentry.invalid/1"))]),
            Message(type: "log", severity: 6, payload: "an info line"),
        ]
        let input = try messages.flatMap { try JSONLinesEncoder().encode($0) }
        let result = try runHeka(["relay", "-", "--spool", folder.appendingPathComponent("s.db").path], input: input)
        #expect(result.status == 1)
        #expect(result.stderr.contains("no dsn field and no --dsn"))
        #expect(result.stderr.contains("payload not zlib"))
        #expect(result.stderr.contains("received 3, forwarded 0, rate limited 0, retried 0, spooled 0, rejected 0, dropped 2, skipped 1"))
    }

    @Test("settings come from the [heka_relay] section; an unknown key names the file, line and key")
    func iniSection() throws {
        let folder = try scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let good = folder.appendingPathComponent("relay.ini")
        try """
            [heka_relay]
            spool = \(folder.appendingPathComponent("from-ini.db").path)
            match = FALSE
            """.write(to: good, atomically: true, encoding: .utf8)
        let ran = try runHeka(["relay", "--config", good.path], input: [])
        #expect(ran.status == 0, "\(ran.stderr)")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("from-ini.db").path))

        let bad = folder.appendingPathComponent("bad.ini")
        try "[heka_relay]\nspool = x.db\nretries = 3\n".write(to: bad, atomically: true, encoding: .utf8)
        let refused = try runHeka(["relay", "--config", bad.path])
        #expect(refused.status == 64)
        #expect(refused.stderr.contains("line 3") && refused.stderr.contains("retries") && refused.stderr.contains("unknown key"))
    }

    @Test("a DSN the relay cannot post to is a usage error that does not show its secret")
    func badDSN() throws {
        let result = try runHeka(["relay", "--dsn", "udp://public:S3CRET@host/1", "--spool", "/nonexistent/x.db"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("http or https"))
        #expect(!result.stderr.contains("S3CRET"))
    }
}
