import Foundation
import HekaClient
import LoopbackSupport
import Streams
import Testing

@testable import HekaRaven

/// An error whose identity can be checked.
final class CheckoutError: Error, CustomStringConvertible, @unchecked Sendable {
    // @unchecked: immutable after init; a class only so that tests can compare identity.
    let reason: String
    init(_ reason: String) { self.reason = reason }
    var description: String { "checkout failed: \(reason)" }
}

/// A client writing to an in-memory stream, with `settings` bound as its raven plugin.
func ravenClient(_ settings: RavenPlugin? = nil) throws -> (HekaClient, DebugCaptureStream) {
    let stream = DebugCaptureStream()
    var plugins = PluginSet()
    if let settings { try plugins.bind(settings) }
    return (HekaClient(stream: stream, logger: "shop", plugins: plugins), stream)
}

extension Duration {
    /// How long a test lets `flush` wait for the worker to symbolicate new stacks: far longer
    /// than that takes (about half a second for the first stack of a process), so that a busy
    /// machine or ThreadSanitizer's slowdown does not fail a test. `flush` returns as soon as
    /// the work is done.
    static let symbolication = Duration.seconds(120)
}

/// The event in a message's payload, read with Foundation's JSON parser.
func sentryEvent(of message: Message) throws -> [String: Any] {
    let json = try SentryPayload.unpack(message.payload)
    return try #require(try JSONSerialization.jsonObject(with: Data(json)) as? [String: Any])
}

func frames(of event: [String: Any]) throws -> [[String: Any]] {
    let stacktrace = try #require(event["sentry.interfaces.Stacktrace"] as? [String: Any])
    return try #require(stacktrace["frames"] as? [[String: Any]])
}

/// The text of line `line` of this file.
func sourceLine(_ line: Int, file: String = #filePath) throws -> String {
    let text = try String(contentsOfFile: file, encoding: .utf8)
    return String(text.split(separator: "\n", omittingEmptySubsequences: false)[line - 1])
}

@Suite struct RavenCaptureTests {
    @Test("client.raven sends a stacktrace message whose last frame is this function, at this line")
    func ravenAtCallSite() throws {
        let (client, stream) = try ravenClient()
        let id = client.raven("something bad happened"); let line = #line
        client.flush(timeout: .symbolication)  // a new call path is symbolicated in the background
        let message = try #require(stream.lastMessage)
        #expect(message.type == "stacktrace" && message.severity == .error && message.logger == "shop")
        #expect(message.field("msg") == "something bad happened")
        #expect(message.fields.map(\.name) == ["msg", "epoch_timestamp"])
        let epoch = try #require(message.fields.last?.value)
        #expect(epoch == .doubles([Double(message.timestamp) / 1e9]))

        let event = try sentryEvent(of: message)
        #expect(event["event_id"] as? String == id && id.count == 32)
        #expect(id == message.uuid.uuidString.replacingOccurrences(of: "-", with: "").lowercased())
        #expect(event["message"] as? String == "something bad happened")
        #expect(event["level"] as? Int == 40 && event["platform"] as? String == "other")
        let last = try #require(try frames(of: event).last)
        #expect((last["function"] as? String)?.contains("ravenAtCallSite") == true)
        #expect(last["abs_path"] as? String == #filePath)
        #expect(last["filename"] as? String == "RavenCaptureTests.swift")
        #expect(last["lineno"] as? Int == line)
        #expect(last["context_line"] as? String == (try sourceLine(line)))
        #expect((last["pre_context"] as? [String])?.count == 5)
        #expect(last["pre_context"] as? [String] == (try (line - 5..<line).map { try sourceLine($0) }))
        #expect(last["module"] as? String == "HekaRavenTests" && last["in_app"] as? Bool == true)
        #expect((last["raw_function"] as? String)?.hasPrefix("$s14HekaRavenTests") == true)
        #expect((last["instruction_addr"] as? String)?.hasPrefix("0x") == true)
        #expect(event["culprit"] as? String == "HekaRavenTests in \(last["function"] as! String)")
        // No frame of the library itself.
        #expect(try frames(of: event).allSatisfy { ($0["abs_path"] as? String)?.contains("/Sources/HekaRaven/") != true })
    }

    @Test("an error fills the exception in both forms; the modern form says handled")
    func errorEvent() throws {
        let (client, stream) = try ravenClient()
        client.raven("checkout", error: CheckoutError("card declined"))
        client.flush(timeout: .symbolication)
        let event = try sentryEvent(of: try #require(stream.lastMessage))
        #expect(event["message"] as? String == "CheckoutError: checkout failed: card declined")
        let old = try #require(event["sentry.interfaces.Exception"] as? [String: Any])
        #expect(old["type"] as? String == "CheckoutError" && old["module"] as? String == "HekaRavenTests")
        #expect(old["value"] as? String == "checkout failed: card declined")
        let values = try #require((event["exception"] as? [String: Any])?["values"] as? [[String: Any]])
        #expect(values.count == 1 && values[0]["type"] as? String == "CheckoutError")
        let mechanism = try #require(values[0]["mechanism"] as? [String: Any])
        #expect(mechanism["type"] as? String == "generic" && mechanism["handled"] as? Bool == true)
        let modern = try #require((values[0]["stacktrace"] as? [String: Any])?["frames"] as? [[String: Any]])
        #expect(modern.count == (try frames(of: event)).count)
        #expect((event["extra"] as? [String: Any])?["msg"] as? String == "checkout")
        #expect((event["checksum"] as? String)?.count == 32)
        let timestamp = try #require(event["timestamp"] as? String)
        #expect(timestamp.count == 20 && timestamp.hasSuffix("Z"))
    }

    @Test("captureStack rethrows the very error and sends it once; nothing is sent without an error")
    func captureStackRethrows() throws {
        let (client, stream) = try ravenClient()
        let thrown = CheckoutError("timeout")
        let answer = client.captureStack { 21 * 2 }
        #expect(answer == 42)
        #expect(stream.count == 0)
        do {
            try client.captureStack("while checking out") { () throws(CheckoutError) in throw thrown }
            Issue.record("captureStack did not rethrow")
        } catch {
            #expect(error === thrown)
        }
        client.flush(timeout: .symbolication)
        #expect(stream.count == 1)
        let event = try sentryEvent(of: try #require(stream.lastMessage))
        #expect(event["message"] as? String == "CheckoutError: checkout failed: timeout")
        let last = try #require(try frames(of: event).last)
        #expect((last["function"] as? String)?.contains("captureStackRethrows") == true)
    }

    @Test("the async captureStack and the wrapped function behave the same")
    func asyncAndWrapped() async throws {
        let (client, stream) = try ravenClient()
        let thrown = CheckoutError("async")
        do {
            _ = try await client.captureStack { () async throws(CheckoutError) -> Int in
                await Task.yield()
                throw thrown
            }
            Issue.record("the async captureStack did not rethrow")
        } catch {
            #expect(error === thrown)
        }
        let divide = client.capturingStack("division") { (a: Int, b: Int) throws(CheckoutError) -> Int in
            guard b != 0 else { throw thrown }
            return a / b
        }
        #expect(try divide(10, 2) == 5)
        client.flush(timeout: .symbolication)
        #expect(stream.count == 1)
        #expect(throws: CheckoutError.self) { try divide(1, 0) }
        client.flush(timeout: .symbolication)
        #expect(stream.count == 2)
        let event = try sentryEvent(of: try #require(stream.lastMessage))
        #expect((event["extra"] as? [String: Any])?["msg"] as? String == "division")
    }

    @Test("the plugin's settings: type, severity, logger, dsn field, tags, release, environment")
    func settings() throws {
        let dsn = try SentryDSN(parsing: "https://public:secret@sentry.example.com/7")
        let (client, stream) = try ravenClient(RavenPlugin(
            dsn: dsn, logger: "crashes", severity: .critical, messageType: "sentry", release: "1.2", environment: "prod",
            serverName: "web-1", tags: ["region": "eu"]))
        client.raven("x", tags: ["tier": "gold"])
        client.flush(timeout: .symbolication)
        let message = try #require(stream.lastMessage)
        #expect(message.type == "sentry" && message.severity == .critical && message.logger == "crashes")
        #expect(message.fields.map(\.name) == ["msg", "dsn", "epoch_timestamp"])
        #expect(message.field("dsn") == "https://public:secret@sentry.example.com/7")
        let event = try sentryEvent(of: message)
        #expect(event["project"] as? String == "7" && event["server_name"] as? String == "web-1")
        #expect(event["release"] as? String == "1.2" && event["environment"] as? String == "prod")
        #expect(event["level"] as? Int == 50 && event["logger"] as? String == "crashes")
        #expect(event["tags"] as? [String: String] == ["region": "eu", "tier": "gold"])
    }

    @Test("sanitising masks secret keys, card numbers and URL passwords in extra and tags, unless turned off")
    func sanitising() throws {
        let extra: [String: EventValue] = [
            "password": "hunter2", "user": ["api_key": "k-123", "name": "ann"], "card": "4111 1111 1111 1111",
            "order": "1234", "note": "call 4111-1111-1111-1111", "auth_token": "t-1", "monkey": "bananas",
            "callback": "https://user:pw@hooks.example.com/x",
        ]
        let (client, stream) = try ravenClient()
        client.raven("x", extra: extra, tags: ["session_secret": "abc", "plain": "5555555555554444"])
        client.flush(timeout: .symbolication)
        let event = try sentryEvent(of: try #require(stream.lastMessage))
        let saved = try #require(event["extra"] as? [String: Any])
        #expect(saved["password"] as? String == "********" && saved["card"] as? String == "********")
        #expect(saved["user"] as? [String: String] == ["api_key": "********", "name": "ann"])
        #expect(saved["order"] as? String == "1234" && saved["note"] as? String == "call 4111-1111-1111-1111")
        #expect(saved["auth_token"] as? String == "********" && saved["monkey"] as? String == "bananas")
        #expect(saved["callback"] as? String == "https://user:********@hooks.example.com/x")
        #expect(event["tags"] as? [String: String] == ["session_secret": "********", "plain": "********"])

        let (open, openStream) = try ravenClient(RavenPlugin(sanitize: false))
        open.raven("x", extra: extra)
        open.flush(timeout: .symbolication)
        let openMessage = try #require(openStream.lastMessage)
        let kept = try #require(try sentryEvent(of: openMessage)["extra"] as? [String: Any])
        #expect(kept["password"] as? String == "hunter2")
    }

    @Test("string and list limits cut what the event carries")
    func limits() throws {
        let (client, stream) = try ravenClient(RavenPlugin(stringMaxLength: 20, listMaxLength: 3))
        client.raven(String(repeating: "m", count: 50), extra: ["long": .string(String(repeating: "x", count: 100)),
                                                             "many": [1, 2, 3, 4, 5, 6]])
        client.flush(timeout: .symbolication)
        let event = try sentryEvent(of: try #require(stream.lastMessage))
        let extra = try #require(event["extra"] as? [String: Any])
        #expect(extra["long"] as? String == String(repeating: "x", count: 17) + "...")
        #expect(extra["many"] as? [Int] == [1, 2, 3])
        #expect(event["message"] as? String == String(repeating: "m", count: 17) + "...")
        #expect(extra["heka_trimmed"] == nil)
    }

    @Test("the payload is what Python's base64, zlib and json read")
    func pythonReads() throws {
        let (client, stream) = try ravenClient()
        client.raven("from swift", error: CheckoutError("é"))
        client.flush(timeout: .symbolication)
        let payload = try #require(stream.lastMessage).payload
        let script = "import sys,zlib,base64,json; e=json.loads(zlib.decompress(base64.b64decode(sys.argv[1]))); "
            + "print(e['message'], e['sentry.interfaces.Stacktrace']['frames'][-1]['filename'])"
        #expect(SentryPayloadTests.python(script, payload) == "CheckoutError: checkout failed: é RavenCaptureTests.swift")
    }
}

/// Recurses `depth` times, then captures.
@inline(never)
func deepCapture(_ client: HekaClient, depth: Int, extra: [String: EventValue]) -> Int {
    if depth == 0 {
        client.raven("deep", extra: extra)
        return 0
    }
    return deepCapture(client, depth: depth - 1, extra: extra) + 1
}

@Suite struct RavenBudgetTests {
    @Test("an event 40 frames deep with large extras fits an 8,192-byte datagram, and says what it lost")
    func fitsDatagram() throws {
        let receiver = try LoopbackUDPReceiver()
        let stream = try UdpStream(host: "127.0.0.1", port: receiver.port, maxDatagramSize: 8192)
        let client = HekaClient(stream: stream, logger: "deep")
        var extra: [String: EventValue] = [:]
        for index in 0..<60 {
            // Random text does not compress: 60 × 400 characters would be ~24 KiB.
            extra["blob\(index)"] = .string((0..<400).map { _ in String(UInt8.random(in: 33...126), radix: 16) }.joined())
        }
        _ = deepCapture(client, depth: 40, extra: extra)
        client.flush(timeout: .symbolication)
        let datagram = try #require(receiver.receive())
        #expect(datagram.count <= 8192)
        #expect(client.statistics.messagesSent == 1 && client.statistics.messagesFailed == 0)
        guard case .record(let record)? = RecordDecoder.decodeAll(datagram).first else {
            Issue.record("the datagram is not a record")
            return
        }
        let event = try sentryEvent(of: record.message)
        let trimmed = try #require((event["extra"] as? [String: Any])?["heka_trimmed"] as? [String])
        #expect(!trimmed.isEmpty)
        let frames = try frames(of: event)
        #expect((frames.last?["function"] as? String)?.contains("deepCapture") == true)
        #expect(frames.last?["lineno"] as? Int != nil)
    }

    @Test("an event that fits is not trimmed; a deep one over the stream's limit keeps its last frames")
    func untrimmedAndOmitted() throws {
        let (client, stream) = try ravenClient()
        _ = deepCapture(client, depth: 40, extra: [:])
        client.flush(timeout: .symbolication)
        let event = try sentryEvent(of: try #require(stream.lastMessage))
        #expect((event["extra"] as? [String: Any])?["heka_trimmed"] == nil)
        let frames = try frames(of: event)
        #expect(frames.filter { ($0["function"] as? String)?.contains("deepCapture") == true }.count == 41)
    }
}

@Suite struct RavenINITests {
    @Test("a heka-py INI file with a [heka_plugin_raven] section loads and client.raven works")
    func hekaPyINI() throws {
        let configuration = try HekaConfiguration(iniText: """
            [heka]
            logger = myapp
            stream_class = heka.streams.DebugCaptureStream
            encoder = heka.encoders.ProtobufEncoder

            [heka_plugin_raven]
            provider=heka_raven.raven_plugin:config_plugin
            dsn=udp://public:secret@127.0.0.1:9001/2
            type=sentry
            """, environment: [:], registry: ravenRegistry)
        let client = try HekaClient(configuration: configuration)
        client.raven("configured")
        client.flush(timeout: .symbolication)
        let message = try #require((client.stream as? DebugCaptureStream)?.lastMessage)
        #expect(message.type == "sentry" && message.logger == "myapp" && message.severity == .error)
        #expect(message.field("dsn") == "udp://public:secret@127.0.0.1:9001/2")
        #expect(try sentryEvent(of: message)["project"] as? String == "2")
    }
}

@Suite struct EventBudgetTests {
    /// An event of `count` frames, each with context lines.
    func event(frames count: Int) -> SentryEvent {
        let frames = (0..<count).map { index in
            StackFrame(function: "f\(index)", module: "App", fileName: "a.swift", absolutePath: "/src/a.swift",
                       line: index + 1, instructionAddress: UInt64(index), inApp: true, preContext: ["before"],
                       contextLine: "line \(index)", postContext: ["after"])
        }
        return SentryEvent(eventID: String(repeating: "0", count: 32), text: "t", level: 40,
                           timestamp: "2026-01-01T00:00:00Z", serverName: "s", logger: "l", frames: frames,
                           extra: [("big", .string(String(repeating: "x", count: 300)))], tags: [])
    }

    @Test("trimming goes: middle context, all but the last frame's context, middle frames, strings, extras")
    func order() {
        var event = event(frames: 20)
        var budget = EventBudget(settings: RavenPlugin())
        let step1 = budget.trim(&event)
        #expect(step1)
        #expect(event.frames.map { $0.contextLine != nil } == [true] + Array(repeating: false, count: 16)
            + [true, true, true])
        let step2 = budget.trim(&event)
        #expect(step2)
        #expect(event.frames.map { $0.contextLine != nil } == Array(repeating: false, count: 19) + [true])
        let step3 = budget.trim(&event)
        #expect(step3)
        #expect(event.frames.map(\.function) == ["f0", "f1", "f12", "f13", "f14", "f15", "f16", "f17", "f18", "f19"])
        #expect(event.omitted?.after == 2 && event.omitted?.count == 10)
        let step4 = budget.trim(&event)
        #expect(step4)
        #expect(event.frames.map(\.function) == ["f0", "f17", "f18", "f19"])
        #expect(event.omitted?.after == 1 && event.omitted?.count == 16)
        let step5 = budget.trim(&event)
        #expect(step5)
        #expect(budget.settings.stringMaxLength == 100 && budget.settings.listMaxLength == 10)
        let step6 = budget.trim(&event)
        #expect(step6)
        #expect(budget.settings.stringMaxLength == 32 && budget.settings.listMaxLength == 3)
        let step7 = budget.trim(&event)
        #expect(step7)
        #expect(event.extra.isEmpty && event.frames.last?.preContext == [] && event.frames.last?.contextLine != nil)
        let exhausted = !budget.trim(&event)
        #expect(exhausted)
        #expect(event.trimmed == [
            "context lines of middle frames removed", "context lines removed but the last frame's",
            "10 middle frames removed", "6 middle frames removed",
            "strings cut to 100 characters, lists to 10 items", "strings cut to 32 characters, lists to 3 items",
            "extra values and the last frame's surrounding lines removed",
        ])
    }

    @Test("the frames_omitted range and the trimmed list reach the JSON")
    func json() throws {
        var event = event(frames: 20)
        var budget = EventBudget(settings: RavenPlugin())
        for _ in 0..<3 { _ = budget.trim(&event) }
        var bytes: [UInt8] = []
        event.writeJSON(settings: budget.settings, dsn: nil, to: &bytes)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        let stacktrace = try #require(object["sentry.interfaces.Stacktrace"] as? [String: Any])
        #expect(stacktrace["frames_omitted"] as? [Int] == [2, 12])
        #expect(((object["extra"] as? [String: Any])?["heka_trimmed"] as? [String])?.count == 3)
    }
}
