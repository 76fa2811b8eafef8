import ArgumentParser
import Foundation
import HekaClient

/// `heka-bench`: every scenario of the performance issue in one process, as a table.
@main
struct HekaBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "heka-bench",
        abstract: "Measure the client's cost per call (run it from a release build).",
        discussion: """
            Runs each scenario after a warm-up, in timed batches, and prints per scenario the \
            median time per operation, operations per second, the target and heka-py's figure. \
            Comparisons (UDP against a bare sendto loop, two threads against one) are measured \
            in the same run, interleaved. The table is Markdown, ready to paste.

            Examples:
              swift run -c release heka-bench
              swift run -c release heka-bench --quick --filter raven
            """)

    @Flag(help: "Print JSON instead of the Markdown table.")
    var json = false

    @Flag(help: "Fewer and shorter batches: a rough figure in a few seconds.")
    var quick = false

    @Option(help: "Run only the scenario groups whose name contains this (codec, client, raven, threads, logging, memory, metrics, decoders, ini, relay).")
    var filter: String?

    @Option(help: ArgumentHelp(
        "Run one operation --count times, untimed, for a profiler: \(ProfileLoop.names.joined(separator: ", ")).",
        valueName: "operation"))
    var profile: String?

    @Option(help: "How many times --profile runs its operation.")
    var count = 100_000

    @Flag(help: .hidden)
    var relaySink = false

    func run() throws {
        if relaySink {
            try RelaySink.serve()
            return
        }
        if let profile {
            try ProfileLoop.run(profile, count: count)
            return
        }
        let timing = quick ? Timing.quick : Timing.full
        // The raven group runs first: its first capture must be the process's first.
        let groups: [(String, () throws -> [ScenarioResult])] = [
            ("raven", { try RavenScenario.run(timing) }),
            ("codec", { try CodecScenarios.run(timing) }),
            ("client", { try ClientScenarios.run(timing) }),
            ("client-file", { try FileStreamScenario.run(timing) }),
            ("threads", { try ThreadScenario.run(timing) }),
            ("logging", { try LoggingScenarios.run(timing) }),
            ("memory", { try MemoryScenario.run(quick: quick) }),
            ("metrics", { try MetricsScenarios.run(timing) }),
            ("decoders", { try DecoderScenarios.run(timing) }),
            ("ini", { try INIScenario.run(timing) }),
            ("relay", { try RelayScenario.run(quick: quick) }),
        ]
        var results: [ScenarioResult] = []
        for (name, group) in groups where filter.map({ name.contains($0) }) ?? true {
            results += try group()
        }
        results.sort { $0.id.localizedStandardCompare($1.id) == .orderedAscending }
        var header = [
            "cpus": "\(ProcessInfo.processInfo.activeProcessorCount)",
            "date": RFC3339.format(
                nanoseconds: Int64(Date().timeIntervalSince1970) * 1_000_000_000, precision: .seconds),
            "mode": quick ? "quick" : "full",
        ]
        #if DEBUG
        header["build"] = "debug (figures meaningless: use -c release)"
        #else
        header["build"] = "release"
        #endif
        let report = Report(results: results, header: header)
        print(json ? try report.json() : report.markdown)
    }
}
