import Foundation
import HekaClient
import Testing

/// What `heka cat` prints never carries a DSN's secret nor acts on the terminal, and
/// `heka send --lines` reads a long line in bounded memory.
@Suite struct SecretMaskingTests {
    static let secret = "S3CRET"
    static let dsns = [
        "https://pub:\(secret)@sentry.example.com/2", "https://pub@sentry.example.com/2?sentry_secret=\(secret)",
        "threaded+https://pub:\(secret)@sentry.example.com:9000/prefix/2?timeout=3",
        "https://p@q:\(secret)@sentry.example.com/2",  // refused as a DSN, masked all the same
    ]

    /// A file of framed records, one per message.
    static func recordFile(_ messages: [Message]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("heka-\(UUID().uuidString).heka").path
        let bytes = try messages.flatMap { try ProtobufEncoder().encode($0) }
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        return path
    }

    @Test("cat --format json, --group-by dsn and text mask every form of the secret", arguments: [
        ["--format", "json"], ["--group-by", "dsn"], ["--group-by", "dsn", "--format", "json"], [],
    ])
    func catMasks(_ options: [String]) throws {
        let messages = Self.dsns.map { Message(type: "stacktrace", fields: [Field(name: "dsn", value: FieldValue($0))]) }
        let path = try Self.recordFile(messages)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try runHeka(["cat", path] + options)
        let printed = String(decoding: result.stdout, as: UTF8.self)
        #expect(result.status == 0)
        #expect(!printed.contains(Self.secret) && !result.stderr.contains(Self.secret), "\(printed)")
        #expect(printed.contains("********"))
        #expect(printed.contains("sentry.example.com"))
    }

    @Test("heka config and heka raven-test mask a secret in the DSN's query string")
    func querySecret() throws {
        let path = try temporaryFile("""
            [heka]
            stream_class = udp
            stream_host = 127.0.0.1
            stream_port = 9
            [heka_plugin_raven]
            provider = heka_raven.raven_plugin:config_plugin
            dsn = https://pub@sentry.example.com/2?sentry_secret=\(Self.secret)&timeout=3
            """)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let config = try runHeka(["config", "--config", path])
        let configText = String(decoding: config.stdout, as: UTF8.self)
        #expect(config.status == 0)
        #expect(!configText.contains(Self.secret) && configText.contains("sentry_secret=********&timeout=3"), "\(configText)")
        let raven = try runHeka(["raven-test", "--config", path, "--udp", "127.0.0.1:9"])
        let ravenText = String(decoding: raven.stdout, as: UTF8.self) + raven.stderr
        #expect(!ravenText.contains(Self.secret), "\(ravenText)")
        #expect(ravenText.contains("(project 2)"), "\(ravenText)")
    }

    @Test("control characters in the type, logger, payload and fields are escaped in text output")
    func controlCharacters() throws {
        let message = Message(type: "t\u{1B}[2J", logger: "l\u{07}", payload: "p\u{1B}]0;title\u{07}\nnext\rline\u{202E}",
                              fields: [Field(name: "k\u{1B}", value: "v\u{9B}31m"), Field(name: "n", value: 1)])
        let path = try Self.recordFile([message])
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try runHeka(["cat", path])
        #expect(result.status == 0)
        #expect(!result.stdout.contains { $0 < 0x20 && $0 != 0x0A })
        let text = String(decoding: result.stdout, as: UTF8.self)
        #expect(!text.unicodeScalars.contains { (0x80...0x9F).contains($0.value) || $0.value == 0x202E })
        #expect(text.contains(#"t\u{1B}[2J (l\u{7}) p\u{1B}]0;title\u{7}"#), "\(text)")
        #expect(text.contains(#"    next\u{D}line\u{202E}"#), "\(text)")
        #expect(text.contains(#"k\u{1B}="v\u{9B}31m""#) || text.contains(#"k\u{1B}=v\u{9B}31m"#), "\(text)")
    }

    @Test("cat reports a string that is not UTF-8 and a field of the wrong type, and prints the message")
    func mendedRecord() throws {
        var bytes = try ProtobufEncoder().encode(Message(type: "kept", payload: "XYZ"))
        let at = try #require(bytes.firstRange(of: Array("XYZ".utf8))).lowerBound
        bytes.replaceSubrange(at..<at + 2, with: [0xC3, 0x28])
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("heka-\(UUID().uuidString).heka").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try runHeka(["cat", path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("payload at byte \(at - 1) is not valid UTF-8; shown with U+FFFD"), "\(result.stderr)")
        #expect(result.stderr.hasSuffix("1 message, 1 problem\n"), "\(result.stderr)")
        #expect(String(decoding: result.stdout, as: UTF8.self).contains("kept"))
    }

    @Test("send --lines skips a line over the limit, says where it was, and sends the others")
    func sendLongLine() throws {
        let long = [UInt8](repeating: UInt8(ascii: "x"), count: (1 << 20) + 10)
        let result = try runHeka(["send", "--lines", "-"], in: FileManager.default.temporaryDirectory,
                                 input: Array("first\n".utf8) + long + Array("\nlast\n".utf8))
        #expect(result.status == 1)
        #expect(result.stderr.contains("line 2 at byte 6 is longer than 1048576 bytes; skipped"), "\(result.stderr)")
        let sent = try JSONLinesDecoder.decodeAll(result.stdout).map { try $0.get().payload }
        #expect(sent == ["first", "last"])
    }
}
