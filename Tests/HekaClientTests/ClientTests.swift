import Foundation
import LoopbackSupport
import Streams
import Synchronization
import Testing

@testable import HekaClient

/// Collects the errors a client reports.
final class ErrorLog: Sendable {
    private let errors = Mutex<[SendError]>([])
    var handler: ErrorHandler { ErrorHandler { error in self.errors.withLock { $0.append(error) } } }
    var all: [SendError] { errors.withLock { $0 } }
}

@Suite struct ClientTests {
    static func client(filters: [MessageFilter] = [], disabledTimers: Set<String> = [], errors: ErrorLog = ErrorLog(),
                       capacity: Int = 1000) -> (HekaClient, DebugCaptureStream) {
        let stream = DebugCaptureStream(capacity: capacity)
        let client = HekaClient(stream: stream, logger: "app", severity: .notice, disabledTimers: disabledTimers,
                                filters: filters, errorHandler: errors.handler)
        return (client, stream)
    }

    @Test("heka() fills uuid v4, time, pid, host, env_version and the client's defaults")
    func heka() throws {
        let (client, stream) = Self.client()
        let before = Int64(Date().timeIntervalSince1970 * 1e9)
        client.heka(type: "request", payload: "GET /", fields: ["status": 200, "route": ["name": "home", "ms": 1.5]])
        let after = Int64(Date().timeIntervalSince1970 * 1e9)
        let message = try #require(stream.lastMessage)
        #expect(message.type == "request" && message.logger == "app" && message.severity == .notice)
        #expect(message.payload == "GET /" && message.envVersion == "0.8")
        #expect(message.pid == getpid() && !message.hostname.isEmpty)
        #expect((before...after).contains(message.timestamp))
        #expect(message.uuid.uuid.6 >> 4 == 4 && message.uuid.uuid.8 >> 6 == 2, "a version 4, RFC 4122 UUID")
        #expect(message.fields.map(\.name) == ["status", "route.name", "route.ms"])
        #expect(message.field("route.ms") == .doubles([1.5]))
        client.heka(type: "t", logger: "other", severity: .debug, timestamp: Date(timeIntervalSince1970: 1.5))
        let second = try #require(stream.lastMessage)
        #expect(second.logger == "other" && second.severity == .debug && second.timestamp == 1_500_000_000)
        #expect(second.uuid != message.uuid)
    }

    @Test("uuids stay distinct and version 4 across the random pool's blocks")
    func uuidsAcrossBlocks() {
        let client = HekaClient(stream: DebugCaptureStream())
        let uuids = (0..<1_000).map { _ in client.message(type: "t").uuid }
        #expect(Set(uuids).count == uuids.count)
        #expect(uuids.allSatisfy { $0.uuid.6 >> 4 == 4 && $0.uuid.8 >> 6 == 2 })
    }

    @Test("the logging calls send oldstyle messages at heka-py's severities")
    func logging() throws {
        let (client, stream) = Self.client()
        client.debug("d")
        client.info("i")
        client.warn("w")
        client.error("e")
        client.critical("c")
        struct DiskFull: Error, CustomStringConvertible { var description: String { "disk full" } }
        client.exception(DiskFull(), message: "saving failed")
        let messages = stream.messages
        #expect(messages.map(\.type) == Array(repeating: "oldstyle", count: 6))
        #expect(messages.map(\.severity.rawValue) == [7, 6, 4, 3, 2, 1])
        #expect(messages.map(\.payload) == ["d", "i", "w", "e", "c", "saving failed\ndisk full"])
        #expect(messages.last?.field("error_type")?.string?.hasSuffix("DiskFull") == true)
    }

    @Test("counter, timer and gauge messages have the shapes StatFilter reads")
    func metrics() async throws {
        let (client, stream) = Self.client()
        client.incr("hits", count: 3)
        client.timerSend("db", elapsed: 250, rate: 0.5)
        client.timerSend("db", elapsed: .microseconds(2_600))
        client.gauge("queue", 17)
        client.gauge("load", 0.75)
        let value = client.timer("sync") { 41 + 1 }
        let asyncValue = try await client.timer("async") { () async throws -> String in "done" }
        #expect(value == 42 && asyncValue == "done")
        let messages = stream.messages
        #expect(messages.map(\.type) == ["counter", "timer", "timer", "gauge", "gauge", "timer", "timer"])
        #expect(messages.map(\.payload).prefix(5) == ["3", "250", "3", "17", "0.75"])
        #expect(messages.map { $0.field("name")?.string } == ["hits", "db", "db", "queue", "load", "sync", "async"])
        #expect(messages.map { $0.fields.map(\.name) }.allSatisfy { $0 == ["rate", "name"] })
        #expect(messages[1].field("rate") == .doubles([0.5]))
        #expect(messages.suffix(2).allSatisfy { Int($0.payload) != nil })
    }

    @Test("a timer sends when its closure throws, and rethrows the same error")
    func timerRethrows() throws {
        struct Boom: Error, Equatable {}
        let (client, stream) = Self.client()
        #expect(throws: Boom.self) { try client.timer("fails") { throw Boom() } }
        #expect(stream.lastMessage?.field("name") == "fails")
    }

    @Test("disabled timers send nothing but still run their closure")
    func disabledTimers() {
        let (client, stream) = Self.client(disabledTimers: ["off"])
        var ran = 0
        client.timer("off") { ran += 1 }
        client.timerSend("off", elapsed: 5)
        client.timer("on") { ran += 1 }
        #expect(ran == 2)
        #expect(stream.messages.map { $0.field("name")?.string } == ["on"])
        let (all, allStream) = Self.client(disabledTimers: ["*"])
        all.timer("any") {}
        all.incr("counters still count")
        #expect(allStream.messages.map(\.type) == ["counter"])
        #expect(all.statistics.messagesSkipped == 1)
    }

    @Test("rate below 1 samples incr and gauge; rate 0 sends nothing")
    func sampling() {
        let (client, stream) = Self.client(capacity: 10_000)
        for _ in 0..<4000 { client.incr("sampled", rate: 0.25) }
        for _ in 0..<100 { client.gauge("never", 1, rate: 0) }
        let sent = stream.count
        // Binomial(4000, 0.25): mean 1000, sd ~27; 8 sd either side.
        #expect((780...1220).contains(sent))
        #expect(client.statistics.messagesSkipped == 4100 - sent)
    }

    @Test("filters: severity max, type black/whitelist, per-type severity, any closure")
    func filters() {
        let cases: [(MessageFilter, [String])] = [
            (.severityMax(.warning), ["crit", "warn"]),
            (.typeBlacklist(["noise"]), ["crit", "warn", "info"]),
            (.typeWhitelist(["noise", "warn"]), ["warn", "noise"]),
            (.typeSeverityMax(["info": .error, "noise": .debug]), ["crit", "warn", "noise"]),
            (MessageFilter { !$0.payload.isEmpty }, ["crit"]),
        ]
        for (filter, expected) in cases {
            let (client, stream) = Self.client(filters: [filter])
            client.heka(type: "crit", severity: .critical, payload: "x")
            client.heka(type: "warn", severity: .warning)
            client.heka(type: "info", severity: .informational)
            client.heka(type: "noise", severity: .debug)
            #expect(stream.messages.map(\.type) == expected, "\(filter)")
            #expect(client.statistics.messagesFiltered == 4 - expected.count)
        }
    }

    @Test("a message that cannot be encoded is counted and reported, never thrown; the next one goes")
    func encodingFailures() {
        let errors = ErrorLog()
        let (client, stream) = Self.client(errors: errors)
        client.heka(type: "big", payload: String(repeating: "x", count: 70_000))
        client.heka(type: "unnamed", fields: ["": 1])
        client.heka(type: "fine")
        #expect(stream.messages.map(\.type) == ["fine"])
        #expect(client.statistics.messagesFailed == 2 && client.statistics.messagesSent == 1)
        #expect(errors.all.map(\.code) == [.encodingFailed, .encodingFailed])
        #expect(errors.all.map(\.messageType) == ["big", "unnamed"])
        #expect(errors.all[0].description.contains("over the 65536-byte limit"))
    }

    @Test("a stream that refuses a record is counted and reported")
    func writeFailures() throws {
        let errors = ErrorLog()
        let stream = try UdpStream(host: "127.0.0.1", port: 9, maxDatagramSize: 200)
        let client = HekaClient(stream: stream, errorHandler: errors.handler)
        client.heka(type: "too big for the datagram", payload: String(repeating: "y", count: 300))
        #expect(client.statistics.messagesFailed == 1)
        #expect(errors.all.first?.code == .writeFailed)
        #expect(errors.all.first?.description.contains("udp://127.0.0.1:9") == true)
    }

    @Test("8 threads at once: every message arrives once, each thread's in order")
    func concurrentOrder() throws {
        let (client, stream) = Self.client(capacity: 8 * 500)
        DispatchQueue.concurrentPerform(iterations: 8) { thread in
            for index in 0..<500 { client.heka(type: "t\(thread)", payload: String(index)) }
        }
        let messages = stream.messages
        #expect(messages.count == 4000 && client.statistics.messagesSent == 4000)
        for thread in 0..<8 {
            let payloads = messages.filter { $0.type == "t\(thread)" }.map { Int($0.payload)! }
            #expect(payloads == Array(0..<500))
        }
    }

    @Test("in code the encoder is protobuf unless given; a configuration picks JSON lines for stdout")
    func defaultEncoders() throws {
        #expect(HekaClient(stream: StdOutStream()).encoder is ProtobufEncoder)
        #expect(HekaClient(stream: StdOutStream(), encoder: JSONLinesEncoder()).encoder is JSONLinesEncoder)
        #expect(try HekaClient(configuration: HekaConfiguration()).encoder is JSONLinesEncoder)
        let debug = HekaConfiguration(stream: .debugCapture())
        #expect(try HekaClient(configuration: debug).encoder is ProtobufEncoder)
        var json = HekaConfiguration(stream: .debugCapture())
        json.encoder = .jsonLines
        #expect(try HekaClient(configuration: json).encoder is JSONLinesEncoder)
    }

    @Test("clients sharing a stream leave its error handler as it was made")
    func sharedStream() throws {
        let reports = LockedReports()
        let receiver = try LoopbackUDPReceiver()
        let stream = try UdpStream(
            destinations: [HostAndPort(host: "127.0.0.1", port: receiver.port), HostAndPort(host: "255.255.255.255", port: 9)],
            errorHandler: StreamErrorHandler { reports.add($0) })
        let first = ErrorLog()
        let second = ErrorLog()
        let one = HekaClient(stream: stream, errorHandler: first.handler)
        let two = HekaClient(stream: stream, errorHandler: second.handler)
        one.heka(type: "one")
        two.heka(type: "two")
        // The broadcast destination refuses each record; the stream, not a client, hears it.
        #expect(receiver.receive() != nil && receiver.receive() != nil)
        #expect(reports.count == 2 && first.all.isEmpty && second.all.isEmpty)
        #expect(one.statistics.streamErrors == 2 && two.statistics.streamErrors == 2)
    }

    @Test("field literals: nesting, arrays, widening and the typed initialisers")
    func fieldLiterals() {
        let fields: Fields = ["a": ["b": ["c": 1]], "ints": [1, 2], "mixed": [1, 2.5], "odd": ["x", true], "f": 1.0]
        #expect(fields.map(\.name) == ["a.b.c", "ints", "mixed", "odd", "f"])
        #expect(fields["ints"] == .integers([1, 2]))
        #expect(fields["mixed"] == .doubles([1, 2.5]))
        #expect(fields["odd"] == .strings(["x", "true"]))
        #expect(FieldValue(UInt8(7)) == 7 && FieldValue(bytes: [1, 2]) == .bytes([[1, 2]]))
        #expect(FieldValue(["a", "b"]).count == 2 && FieldValue([true]).bool == true)
        #expect(Fields(["z": 1, "a": 2] as [String: FieldValue]).map(\.name) == ["a", "z"])
        let ordered: Fields = ["z": 1, "g": ["y": 2, "x": ["w": 3, "v": 4]], "a": 5]
        #expect(ordered.map(\.name) == ["z", "g.y", "g.x.w", "g.x.v", "a"])
        #expect(ordered.map(\.value) == [1, 2, 3, 4, 5])
    }

    @Test("severity names and numbers parse; others do not")
    func severityNames() {
        #expect(Severity("ERROR") == .error && Severity("warn") == .warning && Severity("7") == .debug)
        #expect(Severity("8") == nil && Severity("loud") == nil && Severity("-1") == nil)
        #expect(Severity.allNamed.map(\.name).last == "debug" && Severity(rawValue: 9).name == "9")
        #expect(Severity.error.isAtLeastAsSevere(as: .warning) && !Severity.debug.isAtLeastAsSevere(as: .informational))
    }
}

/// Stream errors collected from any thread.
final class LockedReports: Sendable {
    private let reports = Mutex<[StreamError]>([])
    func add(_ error: StreamError) { reports.withLock { $0.append(error) } }
    var count: Int { reports.withLock { $0.count } }
}

@Suite struct SeverityThresholdTests {
    @Test("messages less severe than the threshold are dropped before they are built, and counted")
    func thresholdInCode() {
        let stream = DebugCaptureStream()
        let client = HekaClient(stream: stream, severityThreshold: .warning)
        client.debug("no")
        client.info("no")
        client.warn("yes")
        client.error("yes")
        client.heka(type: "t", severity: .notice)
        client.heka(type: "t")  // the default severity, informational
        client.send(client.message(type: "built", severity: .debug))
        #expect(stream.messages.map(\.payload) == ["yes", "yes"])
        #expect(client.statistics.messagesFiltered == 5 && client.statistics.messagesSent == 2)
        #expect(client.isEnabled(.warning) && client.isEnabled(.emergency) && !client.isEnabled(.notice))
        #expect(HekaClient(stream: stream).isEnabled(.debug))
    }

    @Test("INI severity_threshold beside heka-py's severity: each keeps its meaning, and prints back")
    func thresholdInINI() throws {
        let text = """
            [heka]
            severity = notice
            severity_threshold = warning
            stream_class = debug
            """
        let configuration = try HekaConfiguration(iniText: text)
        #expect(configuration.severity == .notice && configuration.severityThreshold == .warning)
        #expect(try HekaConfiguration(iniText: configuration.iniText()).severityThreshold == .warning)
        #expect(configuration.description.contains("severity_threshold=warning"))
        let client = try HekaClient(configuration: configuration)
        #expect(client.severity == .notice && client.severityThreshold == .warning)
        #expect(try HekaConfiguration(iniText: "[heka]").severityThreshold == .debug)
        #expect(!(try HekaConfiguration(iniText: "[heka]").iniText().contains("severity_threshold")))
        let dictionary = try HekaConfiguration(dictionary: ["severity_threshold": "error"])
        #expect(dictionary.severityThreshold == .error)
    }
}
