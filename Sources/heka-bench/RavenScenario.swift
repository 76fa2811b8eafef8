import HekaClient
import HekaRaven
import Streams

/// Scenario 6: `raven()` over UDP, the first capture of the process and warm captures at a
/// call site 20 frames deep that has captured before.
enum RavenScenario {
    /// heka-py-raven 0.7 on Python 3, this kind of machine.
    static let hekaPyRaven = 200_000.0
    static let depth = 20

    static func run(_ timing: Timing) throws -> [ScenarioResult] {
        let sink = try LoopbackSink()
        let client = HekaClient(stream: try UdpStream(host: "127.0.0.1", port: sink.port))
        var start = monotonicNanoseconds()
        client.raven("first capture")
        let first = Double(monotonicNanoseconds() - start)
        client.flush()
        let firstDelivered = Double(monotonicNanoseconds() - start)

        // A call site is its whole stack: the captures that warm it up must come from the
        // very loop that is measured. The first is symbolicated in the background; the
        // flush waits for that, and every later one finds its frames cached.
        let warmUp = 20
        var warm = Samples()
        var before = 0
        for iteration in 0..<(warmUp + timing.batches * 50) {
            start = monotonicNanoseconds()
            _ = descend(client, depth: depth)
            let elapsed = Double(monotonicNanoseconds() - start)
            if iteration == 0 { client.flush() }
            if iteration == warmUp - 1 { before = client.statistics.messagesSent }
            if iteration >= warmUp { warm.append(elapsed) }
        }
        client.flush()
        let statistics = client.statistics
        let record = statistics.stream.bytesWritten / max(1, statistics.stream.recordsWritten)
        return [
            ScenarioResult(
                id: "6a", name: "raven(): first capture in the process", medianNanoseconds: first,
                target: "≤ 10 ms", met: first <= 10_000_000, hekaPyNanoseconds: nil,
                note: "delivered (flush returned) after \(Report.duration(firstDelivered))"),
            ScenarioResult(
                id: "6b", name: "raven(): warm, \(depth) frames deep", medianNanoseconds: warm.median,
                p99Nanoseconds: warm.percentile(99), target: "≤ 50 µs median", met: warm.median <= 50_000,
                hekaPyNanoseconds: hekaPyRaven,
                note: "\(statistics.messagesSent - before) of \(warm.values.count) events sent, "
                    + "\(statistics.messagesFailed) failed; records average \(record) bytes"),
        ]
    }

    /// Recurses `depth` times, then captures.
    @inline(never)
    static func descend(_ client: HekaClient, depth: Int) -> Int {
        if depth == 0 {
            client.raven("deep capture", extra: ["order": 1234, "basket": ["apple", "pear"]])
            return 0
        }
        let below = descend(client, depth: depth - 1)
        keep(depth)  // work after the call keeps the optimiser from turning the recursion into a loop
        return below &+ 1
    }
}
