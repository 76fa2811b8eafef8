import CoreMetrics
import Foundation
import HekaClient
import HekaMetrics
import HekaPlatform
import HekaRelay
import Streams
import Testing

/// The relay's counts as Heka counter and gauge messages.
@Suite(.serialized) struct RelayStatsTests {
    @Test("counts go to a HekaMetricsFactory as counter messages; the spool's size as a gauge, at most once a second")
    func countersThroughAClient() throws {
        let stream = DebugCaptureStream(capacity: 100)
        let client = HekaClient(stream: stream, logger: "heka-relay")
        let metrics = try HekaMetricsFactory(client: client, configuration: .init(counters: .perIncrement))
        let counters = RelayCounters(factory: metrics)
        counters.add(.forwarded, 3)
        counters.add(.received)
        counters.setSpooled(5)
        #expect(counters.publish() == nil)
        counters.setSpooled(4)
        let due = try #require(counters.publish())
        #expect(due > .now() && due <= .after(.seconds(1)))
        counters.setSpooled(2)
        #expect(counters.publish(force: true) == nil)
        #expect(counters.publish(force: true) == nil)
        #expect(client.flush())
        let sent = stream.messages.map { "\($0.type) \($0.field("name")?.string ?? "") \($0.payload)" }
        #expect(sent == [
            "counter heka_relay_forwarded 3", "counter heka_relay_received 1",
            "gauge heka_relay_spooled 5", "gauge heka_relay_spooled 2",
        ])
    }

    @Test("a relay that goes idle records the spool's last size within a second, with no other event to wake it")
    func idleRelayRecordsTheGauge() async throws {
        let server = try SentryStandIn()
        defer { server.stop() }
        let gauges = GaugeRecording()
        let counters = RelayCounters(factory: gauges)
        var transportSettings = SentryTransport.Settings()
        transportSettings.client = "heka-swift/test"
        let transport = SentryTransport(settings: transportSettings)
        let relay = Relay(spool: try Spool(path: try temporarySpoolPath(), maximumBytes: 1 << 20), transport: transport,
                          settings: Relay.Settings(), counters: counters, report: { _ in })
        relay.submit(try events((0..<20).map { _ in errorLogMessage() }, dsn: standInDSN(port: server.port)))
        let delivery = startRelay(relay)
        // The first round records 20; the answers come within the second that follows, so
        // the 0 waits for the idle relay's own wake.
        let values = await offPool { gauges.wait(timeout: 10) { $0.last == 0 } }
        #expect(values.first == 20 && values.last == 0, "\(values)")
        #expect(relay.counters.snapshot.forwarded == 20)
        relay.stop()
        await delivery.value
        await transport.shutdown()
    }

    @Test("heka relay --stats-client: the counters arrive as Heka messages whose sums are the summary's")
    func statsClientOfTheCommand() throws {
        let server = try SentryStandIn()
        defer { server.stop() }
        let spool = try temporarySpoolPath()
        let folder = URL(fileURLWithPath: spool).deletingLastPathComponent()
        let input = folder.appendingPathComponent("in.jsonl")
        let messages = (0..<6).map { errorLogMessage(payload: "failure \($0)") }
            + (0..<2).map { _ in Message(type: "log", severity: 6, payload: "fine") }
        try Data(messages.flatMap { try JSONLinesEncoder().encode($0) }).write(to: input)
        let stats = folder.appendingPathComponent("stats.jsonl")
        let ini = folder.appendingPathComponent("relay.ini")
        try """
            [heka_relay]
            dsn = \(standInDSN(port: server.port))
            spool = \(spool)
            stats_client = relay_stats

            [relay_stats]
            encoder = json
            stream_class = file
            stream_filepath = \(stats.path)
            """.write(to: ini, atomically: true, encoding: .utf8)
        let relay = try HekaProcess(["relay", input.path, "--config", ini.path, "--stats-every", "0.05"])
        #expect(relay.wait() == 0, "\(relay.stderr)")
        // Standard error is read as it comes: the text may arrive after the exit.
        #expect(relay.waitFor("received 8, forwarded 6"), "\(relay.stderr)")
        var sums: [String: Int] = [:]
        var gauge: [Int] = []
        for line in try String(contentsOf: stats, encoding: .utf8).split(separator: "\n") {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let name = try #require((object["fields"] as? [String: Any])?["name"] as? String)
            let value = try #require(Int(object["payload"] as? String ?? ""))
            #expect(object["logger"] as? String == "heka-relay")
            switch object["type"] as? String {
            case "counter": sums[name, default: 0] += value
            case "gauge": gauge.append(value)
            default: Issue.record("unexpected \(line)")
            }
        }
        #expect(sums == ["heka_relay_received": 8, "heka_relay_forwarded": 6, "heka_relay_skipped": 2])
        #expect(gauge.last == 0)
    }

    @Test("a stats_client naming no section is a usage error that names the file, line and key")
    func missingSection() throws {
        let folder = URL(fileURLWithPath: try temporarySpoolPath()).deletingLastPathComponent()
        let ini = folder.appendingPathComponent("relay.ini")
        try "[heka_relay]\nstats_client = nowhere\n".write(to: ini, atomically: true, encoding: .utf8)
        let relay = try HekaProcess(["relay", "--config", ini.path])
        #expect(relay.wait() == 64)
        #expect(relay.waitFor("\(ini.path), line 2, [heka_relay] stats_client: there is no [nowhere] section"),
                "\(relay.stderr)")
    }
}

/// A swift-metrics factory that keeps what its gauges record (and ignores the rest).
private final class GaugeRecording: MetricsFactory, RecorderHandler, @unchecked Sendable {
    // @unchecked: `values` is guarded by `condition`.
    private let condition = NSCondition()
    private var values: [Int64] = []

    func record(_ value: Int64) {
        condition.withLock {
            values.append(value)
            condition.broadcast()
        }
    }

    func record(_ value: Double) { record(Int64(value)) }

    /// The values, once `done` says so (or `timeout` seconds passed).
    func wait(timeout: TimeInterval, until done: ([Int64]) -> Bool) -> [Int64] {
        let deadline = Date(timeIntervalSinceNow: timeout)
        return condition.withLock {
            while !done(values) && condition.wait(until: deadline) {}
            return values
        }
    }

    func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler { NOOPMetricsHandler.instance }
    func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler { self }
    func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler { NOOPMetricsHandler.instance }
    func destroyCounter(_ handler: any CounterHandler) {}
    func destroyRecorder(_ handler: any RecorderHandler) {}
    func destroyTimer(_ handler: any TimerHandler) {}
}
