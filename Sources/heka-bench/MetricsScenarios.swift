import CoreMetrics
import HekaClient
import HekaMetrics
import Streams

/// The swift-metrics backend: `Counter.increment()` summed in the process, against the same
/// call sending one message per increment over loopback UDP (heka-py's `incr`).
enum MetricsScenarios {
    static func run(_ timing: Timing) throws -> [ScenarioResult] {
        let sink = try LoopbackSink()
        let client = HekaClient(stream: try UdpStream(host: "127.0.0.1", port: sink.port))
        let aggregating = try HekaMetricsFactory(client: client)
        let perIncrement = try HekaMetricsFactory(client: client, configuration: .init(counters: .perIncrement))
        let summed = Counter(label: "requests", dimensions: [("route", "/")], factory: aggregating)
        let each = Counter(label: "requests", dimensions: [("route", "/")], factory: perIncrement)
        let samples = timing.interleaved([
            { count in for _ in 0..<count { summed.increment() } },
            { count in for _ in 0..<count { each.increment() } },
        ])
        let (aggregated, perMessage) = (samples[0].median, samples[1].median)
        aggregating.shutdown()
        let sent = client.statistics
        return [
            ScenarioResult(
                id: "m1", name: "Counter.increment(), aggregating (uncontended)", medianNanoseconds: aggregated,
                reference: "m2", ratio: perMessage / aggregated, target: "≤ 50 ns", met: aggregated <= 50),
            ScenarioResult(
                id: "m2", name: "Counter.increment(), one message each over UDP", medianNanoseconds: perMessage,
                hekaPyNanoseconds: ClientScenarios.hekaPyIncr,
                note: "\(sent.messagesSent) sent, \(sent.messagesFailed) failed"),
        ]
    }
}
