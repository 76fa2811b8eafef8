import Foundation
import HekaClient
import HekaRaven
import LoopbackSupport
import Testing

@Suite struct RavenTestCommandTests {
    @Test("heka raven-test sends a stack trace with the DSN given, prints its id, masks the secret")
    func sendsEvent() throws {
        let receiver = try LoopbackUDPReceiver()
        let dsn = "https://public:hush@sentry.example.com/7"
        let result = try runHeka(["raven-test", "--udp", "127.0.0.1:\(receiver.port)", dsn],
                                 in: FileManager.default.temporaryDirectory)
        #expect(result.status == 0, "\(result.stderr)")
        let output = String(decoding: result.stdout, as: UTF8.self)
        #expect(!output.contains("hush"))
        #expect(output.contains("dsn = https://public:********@sentry.example.com/7"))
        #expect(output.contains("Using DSN https://public:********@sentry.example.com/7 (project 7)"))
        let datagram = try #require(receiver.receive())
        guard case .record(let record)? = RecordDecoder.decodeAll(datagram).first else {
            Issue.record("no record arrived")
            return
        }
        let message = record.message
        #expect(message.type == "stacktrace" && message.severity == .error && message.logger == "heka-raven-test")
        #expect(message.field("dsn") == .strings([dsn]))
        let eventID = message.uuid.uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        #expect(output.hasSuffix("Event ID was '\(eventID)'\n"))
        let event = try #require(try JSONSerialization.jsonObject(with: Data(try SentryPayload.unpack(message.payload)))
            as? [String: Any])
        #expect(event["event_id"] as? String == eventID)
        #expect((event["culprit"] as? String)?.contains("RavenTest.sendTestEvent(through:)") == true)
        #expect(event["project"] as? String == "7")
    }

    @Test("a bad DSN is a usage error; an unusable configuration fails")
    func failures() throws {
        let bad = try runHeka(["raven-test", "ftp://x@y/1"])
        #expect(bad.status == 64)
        #expect(bad.stderr.hasPrefix("Error: the DSN is not valid: the scheme \"ftp\" is not https, http or udp\n"))
        let path = try temporaryFile("[heka]\nstream_class = file\nstream_path = /nonexistent/dir/heka.log\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let unusable = try runHeka(["raven-test", "--config", path])
        #expect(unusable.status == 1)
        #expect(unusable.stderr.contains("/nonexistent/dir/heka.log"))
    }

    @Test("every command's --help has examples")
    func help() throws {
        for command in ["demo", "send", "cat", "flood", "raven-test", "config"] {
            let result = try runHeka([command, "--help"])
            #expect(result.status == 0)
            #expect(String(decoding: result.stdout, as: UTF8.self).contains("Examples:"), "\(command)")
        }
    }
}
