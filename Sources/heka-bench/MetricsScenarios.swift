import CoreMetrics
import Dispatch
import HekaClient
import HekaMetrics
import Streams

/// The swift-metrics backend: `Counter.increment()` summed in the process, against the same
/// call sending one message per increment over loopback UDP (heka-py's `incr`), and two
/// threads incrementing one aggregating counter (one contended atomic).
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
        var contended = Samples()
        // Runs of about 10 ms a thread, so that the two threads overlap for most of a run.
        for _ in 0..<max(5, timing.batches / 4) { contended.append(twoThreads(summed, count: 2_000_000)) }
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
            ScenarioResult(
                id: "m3", name: "Counter.increment(), aggregating, two threads on one counter (per increment)",
                medianNanoseconds: contended.median, reference: "m1", ratio: aggregated / contended.median),
        ]
    }

    /// Nanoseconds per increment (both threads together) of two threads incrementing `counter`
    /// `count` times each.
    private static func twoThreads(_ counter: Counter, count: Int) -> Double {
        let start = monotonicNanoseconds()
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            for _ in 0..<count { counter.increment() }
        }
        return Double(monotonicNanoseconds() - start) / Double(2 * count)
    }
}
