import Foundation
import HekaClient
import LoopbackSupport
import Testing

@Suite struct SendCommandTests {
    @Test("heka send types fields as heka.ini does, and := or :type names the type")
    func typedFields() throws {
        let result = try runHeka([
            "send", "disk full", "--type", "alert", "--logger", "ops", "--severity", "warning",
            "--field", "n=3", "--field", "s:=3", "--field", "ok=yes", "--field", "ms:double=1.5",
            "--field", "raw:bytes=00ff", "--field", "tag=a", "--field", "tag=b", "--field", "mixed=1",
            "--field", "mixed:double=2.5", "--field", "word=3x",
        ], in: FileManager.default.temporaryDirectory)
        #expect(result.status == 0 && result.stderr.isEmpty)
        let messages = try JSONLinesDecoder.decodeAll(result.stdout).map { try $0.get() }
        let message = try #require(messages.first)
        #expect(messages.count == 1)
        #expect(message.type == "alert" && message.logger == "ops" && message.severity == .warning)
        #expect(message.payload == "disk full")
        #expect(message.fields.map(\.name) == ["n", "s", "ok", "ms", "raw", "tag", "mixed", "word"])
        #expect(message.field("n") == .integers([3]))
        #expect(message.field("s") == .strings(["3"]))
        #expect(message.field("ok") == .bools([true]))
        #expect(message.field("ms") == .doubles([1.5]))
        #expect(message.field("raw") == .bytes([[0x00, 0xFF]]))
        #expect(message.field("tag") == .strings(["a", "b"]))
        #expect(message.field("mixed") == .doubles([1, 2.5]))
        #expect(message.field("word") == .strings(["3x"]))
    }

    @Test("heka send - reads the payload from stdin; --lines sends one message a line")
    func standardInput() throws {
        let elsewhere = FileManager.default.temporaryDirectory
        let whole = try runHeka(["send", "-"], in: elsewhere, input: Array("first line\nsecond line\n".utf8))
        let one = try JSONLinesDecoder.decodeAll(whole.stdout).map { try $0.get() }
        #expect(one.map(\.payload) == ["first line\nsecond line"])
        #expect(one.first?.type == "heka.send" && one.first?.logger == "heka-send")

        let lines = try runHeka(["send", "--lines", "-"], in: elsewhere, input: Array("a\r\nb\n\nc".utf8))
        let many = try JSONLinesDecoder.decodeAll(lines.stdout).map { try $0.get() }
        #expect(many.map(\.payload) == ["a", "b", "c"])
    }

    /// Each bad argument, and the start of the error it gets (exit status 64).
    static let mistakes: [([String], String)] = [
        (["--field", "novalue"], "Error: --field novalue: expected NAME=VALUE"),
        (["--field", "=3"], "Error: --field =3: the field name is empty"),
        (["--field", "n:int=3.5"], "Error: --field n:int=3.5: \"3.5\" is not an integer"),
        (["--field", "n:bool=maybe"], "Error: --field n:bool=maybe: \"maybe\" is not true/false, yes/no or on/off"),
        (["--field", "n:bytes=0g"], "Error: --field n:bytes=0g: bytes are written in hex, as 00ff"),
        (["--field", "n:uuid=x"], "Error: --field n:uuid=x: unknown type uuid (string, int, double, bool or bytes)"),
        (["--field", "n=1", "--field", "n=yes"], "Error: --field n: a repeated field takes values of one type; it has INTEGER and BOOL"),
        (["--udp", "127.0.0.1:0"], "Error: --udp 127.0.0.1:0: port 0 can only be listened on"),
        (["--udp", "127.0.0.1:1", "--tcp", "127.0.0.1:1"], "Error: give --udp or --tcp, not both"),
        (["--sign", "ops:one:s3cr3t-key"], "Error: --sign takes SIGNER:VERSION:KEY[:md5|sha1], e.g. ops:1:sesame:sha1 (the value given is not repeated here)"),
    ]

    @Test("a bad argument is a usage error that says what is wrong", arguments: mistakes)
    func mistake(_ arguments: [String], _ expected: String) throws {
        let result = try runHeka(["send"] + arguments + ["payload"])
        #expect(result.status == 64)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix(expected + "\n"), "\(result.stderr)")
        #expect(!result.stderr.contains("s3cr3t"))
    }

    @Test("heka send --udp --sign: a signed record that verifies with the key")
    func signedOverUDP() throws {
        let receiver = try LoopbackUDPReceiver()
        let result = try runHeka(["send", "--udp", "127.0.0.1:\(receiver.port)", "--sign", "ops:2:sesame:sha1",
                                  "--field", "status=503", "over udp"])
        #expect(result.status == 0 && result.stdout.isEmpty && result.stderr.isEmpty)
        let datagram = try #require(receiver.receive())
        let signer = try HMACSigner(signer: "ops", keyVersion: 2, hashFunction: .sha1, key: "sesame")
        guard case .record(let record)? = RecordDecoder.decodeAll(datagram, keys: [signer]).first else {
            Issue.record("the datagram is not a verified record")
            return
        }
        #expect(record.verified && record.header.hmacHashFunction == 1)
        #expect(record.message.payload == "over udp" && record.message.field("status") == 503)
        let wrong = try HMACSigner(signer: "ops", keyVersion: 2, key: "other")
        #expect(RecordDecoder.decodeAll(datagram, keys: [wrong]).first.map {
            if case .error(let error) = $0 { error.code == .hmacMismatch } else { false }
        } == true)
    }
}
