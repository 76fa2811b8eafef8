import Foundation
import HekaClient
import Streams

/// Scenario 9: resident memory after 100,000 and after 1,000,000 `heka()` calls over UDP.
enum MemoryScenario {
    static func run(quick: Bool) throws -> [ScenarioResult] {
        let sink = try LoopbackSink()
        let client = HekaClient(stream: try UdpStream(host: "127.0.0.1", port: sink.port))
        let (first, total) = quick ? (10_000, 100_000) : (100_000, 1_000_000)
        for _ in 0..<first { ClientScenarios.heka(client) }
        let early = residentKiB("VmRSS")
        for _ in first..<total { ClientScenarios.heka(client) }
        let late = residentKiB("VmRSS")
        let peak = residentKiB("VmHWM")
        let growth = Double(late - early) / 1024
        return [
            ScenarioResult(
                id: "9", name: "resident memory growth, \(first / 1000)k → \(total / 1000)k heka() calls",
                target: "≤ 4 MiB growth", met: growth <= 4,
                note: String(format: "RSS %.1f MiB after %dk calls, %.1f MiB after %dk (growth %+.2f MiB); peak %.1f MiB",
                             Double(early) / 1024, first / 1000, Double(late) / 1024, total / 1000, growth,
                             Double(peak) / 1024)),
        ]
    }

    /// A `kB` line of /proc/self/status (`VmRSS`, `VmHWM`).
    static func residentKiB(_ key: String) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix(key + ":") {
            return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? 0
        }
        return 0
    }
}
