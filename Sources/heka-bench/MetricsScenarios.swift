import CoreMetrics
import Dispatch
import Foundation
import HekaClient
import HekaMetrics
import Streams
import Synchronization

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
    /// `count` times each: this thread and a new one, which wait for each other before they
    /// start (a dispatch pool may run both halves on one thread, one after the other).
    private static func twoThreads(_ counter: Counter, count: Int) -> Double {
        let arrived = Arrivals()
        let finished = DispatchSemaphore(value: 0)
        Thread {
            arrived.arriveAndWait(for: 2)
            for _ in 0..<count { counter.increment() }
            finished.signal()
        }.start()
        arrived.arriveAndWait(for: 2)
        let start = monotonicNanoseconds()
        for _ in 0..<count { counter.increment() }
        finished.wait()
        return Double(monotonicNanoseconds() - start) / Double(2 * count)
    }
}

/// Threads that have reached the start line.
private final class Arrivals: Sendable {
    private let count = Atomic<Int>(0)

    /// Counts this thread in and spins until `total` threads are in.
    func arriveAndWait(for total: Int) {
        count.add(1, ordering: .acquiringAndReleasing)
        while count.load(ordering: .acquiring) < total { sched_yield() }
    }
}
