import Dispatch
import Foundation
import HekaClient
import Streams
import Synchronization

/// Scenario 8: two threads calling `heka()` over UDP through one client, against one thread.
enum ThreadScenario {
    static func run(_ timing: Timing) throws -> [ScenarioResult] {
        let sink = try LoopbackSink()
        let client = HekaClient(stream: try UdpStream(host: "127.0.0.1", port: sink.port))
        // Size a run to about five batches' time on one thread.
        let perCall = timing.perOperation { count in for _ in 0..<count { ClientScenarios.heka(client) } }.median
        let calls = max(1000, Int(5 * Double(timing.batchNanoseconds) / perCall))
        var one = Samples(), two = Samples()
        for _ in 0..<max(5, timing.batches / 4) {
            one.append(throughput(threads: 1, calls: calls, client))
            two.append(throughput(threads: 2, calls: calls, client))
        }
        let ratio = two.median / one.median
        return [
            ScenarioResult(
                id: "8", name: "heka() over UDP, two threads (total)", medianNanoseconds: 1e9 / two.median,
                reference: "one thread", ratio: ratio, target: "≥ 1.5 × one thread", met: ratio >= 1.5,
                note: "one thread: \(Report.rate(one.median)) calls/s; each run \(calls) calls a thread"),
        ]
    }

    /// Calls per second of `threads` threads making `calls` calls each, started together.
    private static func throughput(threads: Int, calls: Int, _ client: HekaClient) -> Double {
        let gate = StartGate()
        let finished = DispatchSemaphore(value: 0)
        for _ in 0..<threads {
            let thread = Thread {
                gate.arriveAndWait()
                for _ in 0..<calls { ClientScenarios.heka(client) }
                finished.signal()
            }
            thread.start()
        }
        gate.waitForArrivals(threads)
        let start = monotonicNanoseconds()
        gate.open()
        for _ in 0..<threads { finished.wait() }
        let elapsed = monotonicNanoseconds() - start
        return Double(threads * calls) * 1e9 / Double(elapsed)
    }
}

/// Holds threads until all have arrived and the gate opens, so that they start together.
private final class StartGate: Sendable {
    private let arrived = Atomic<Int>(0)
    private let isOpen = Atomic<Bool>(false)

    func arriveAndWait() {
        arrived.add(1, ordering: .releasing)
        while !isOpen.load(ordering: .acquiring) { sched_yield() }
    }

    func waitForArrivals(_ count: Int) {
        while arrived.load(ordering: .acquiring) < count { sched_yield() }
    }

    func open() { isOpen.store(true, ordering: .releasing) }
}
