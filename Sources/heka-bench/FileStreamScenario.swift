#if canImport(Glibc)
import Glibc
#endif
import Foundation
import HekaClient
import Streams

/// Scenario 4-file: heka() into a FileStream on a temporary file, what the caller pays,
/// against a bare `write` of the same record per call.
enum FileStreamScenario {
    static func run(_ timing: Timing) throws -> [ScenarioResult] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("heka-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let client = HekaClient(stream: try FileStream(path: directory.appendingPathComponent("client.heka").path))
        let floor = open(directory.appendingPathComponent("floor.heka").path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        defer { close(floor) }
        let record = try ProtobufEncoder().encode(Workload.message(client))
        let samples = timing.interleaved([
            { count in for _ in 0..<count { ClientScenarios.heka(client) } },
            { count in
                record.withUnsafeBytes { bytes in
                    for _ in 0..<count { keep(write(floor, bytes.baseAddress, bytes.count)) }
                }
            },
        ])
        let flushed = client.flush(timeout: .seconds(30))
        let statistics = client.statistics.stream
        client.close()
        let (caller, bare) = (samples[0].median, samples[1].median)
        return [
            ScenarioResult(
                id: "4-file", name: "heka() into FileStream (temporary file)", medianNanoseconds: caller,
                reference: "write floor", ratio: bare / caller,
                note: "\(statistics.recordsWritten) written, \(statistics.recordsDropped) dropped, flushed: \(flushed)"),
            ScenarioResult(id: "4-file-floor", name: "bare write loop, same bytes, one write per record", medianNanoseconds: bare),
        ]
    }
}
