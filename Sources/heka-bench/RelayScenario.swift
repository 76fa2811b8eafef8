import Foundation
import HekaClient
import HekaInputs
import HekaPlatform
import HekaRaven
import HekaRelay

/// Scenario r1: `heka relay FILE` end to end. Stack-trace messages carrying 3 KiB events
/// are read from a file, converted, spooled, gzipped and posted to a loopback HTTP sink (a
/// child process, so that the CPU time measured is the relay's alone) until Sentry's
/// stand-in has answered every one.
enum RelayScenario {
    /// The size of each event's JSON.
    static let eventBytes = 3072

    static func run(quick: Bool) throws -> [ScenarioResult] {
        let sink = try SinkProcess()
        defer { sink.stop() }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("heka-bench-relay-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let count = quick ? 4_000 : 20_000
        let input = folder.appendingPathComponent("events.heka").path
        try writeStackTraces(count, to: input)
        var rates = Samples(), cpu = Samples()
        for run in 0..<(quick ? 1 : 3) {
            let spool = folder.appendingPathComponent("spool-\(run).db").path
            let (elapsed, cpuTime) = try relay(input, spool: spool, port: sink.port, expecting: count)
            rates.append(Double(count) * 1e9 / Double(elapsed))
            cpu.append(Double(cpuTime) / Double(count))
        }
        let rate = rates.median
        return [
            ScenarioResult(
                id: "r1", name: "heka relay: 3 KiB stack traces, file → loopback HTTP sink",
                medianNanoseconds: 1e9 / rate, target: "≥ 5,000 events/s", met: rate >= 5000,
                note: "\(Report.fixed(rate, 0)) events/s; relay CPU \(Report.duration(cpu.median)) an event; "
                    + "\(count) events, gzip, 8 in flight; runs: "
                    + rates.values.map { Report.fixed($0, 0) }.joined(separator: ", ")),
        ]
    }

    /// Runs a relay on `input` until the sink has answered all `count` events; the wall and
    /// CPU nanoseconds it took.
    private static func relay(_ input: String, spool path: String, port: Int,
                              expecting count: Int) throws -> (elapsed: UInt64, cpu: UInt64) {
        let reports = LockedValue<[String]>([])
        let report: @Sendable (String) -> Void = { line in reports.withLock { $0.append(line) } }
        var transportSettings = SentryTransport.Settings()
        transportSettings.client = "heka-bench"
        let transport = SentryTransport(settings: transportSettings)
        var settings = Relay.Settings()
        settings.exitWhenEmpty = true
        let relay = Relay(spool: try Spool(path: path, maximumBytes: 1 << 30), transport: transport,
                          settings: settings, report: report)
        let converter = EventConverter(logMatcher: try MessageMatcher(EventConverter.defaultMatch),
                                       defaultDSN: try SentryDSN(parsing: "http://bench@127.0.0.1:\(port)/1"))
        nonisolated(unsafe) let sink = RelayInput(relay: relay, converter: converter, report: report)
        let reader = try FileReader(path: input, follow: false)
        let finished = DispatchSemaphore(value: 0)
        let startCPU = cpuNanoseconds()
        let start = monotonicNanoseconds()
        Thread {
            do {
                try reader.run(keys: nil, into: sink)
            } catch {
                report("\(error)")
            }
            sink.flush()
            relay.inputFinished()
        }.start()
        let end = LockedValue<UInt64>(0)
        Task {
            await relay.run()
            end.withLock { $0 = monotonicNanoseconds() }
            await transport.shutdown()
            finished.signal()
        }
        finished.wait()
        let cpuTime = cpuNanoseconds() - startCPU
        let forwarded = relay.counters.snapshot.forwarded
        guard forwarded == count, reports.withLock({ $0.isEmpty }) else {
            throw BenchError("relay forwarded \(forwarded) of \(count): \(reports.withLock { $0.prefix(3) })")
        }
        return (end.withLock { $0 } - start, cpuTime)
    }

    /// Writes `count` framed stack-trace messages, each with a distinct event of
    /// ``eventBytes`` bytes packed as raven packs it.
    static func writeStackTraces(_ count: Int, to path: String) throws {
        var records: [UInt8] = []
        let encoder = ProtobufEncoder()
        for index in 0..<count {
            let message = Message(
                timestamp: Int64(Date().timeIntervalSince1970 * 1e9), type: "stacktrace", logger: "shop",
                severity: 3, payload: SentryPayload.pack(Array(event(index).utf8)), pid: 4242, hostname: "web-1",
                fields: [Field(name: "msg", value: FieldValue("payment failed"))])
            records += try encoder.encode(message)
        }
        guard FileManager.default.createFile(atPath: path, contents: Data(records)) else {
            throw BenchError("cannot write \(path)")
        }
    }

    /// A Swift error event as raven builds it, padded to ``eventBytes``.
    static func event(_ index: Int) -> String {
        let id = String(format: "%032x", index + 1)
        var frames: [String] = []
        for depth in 0..<14 {
            frames.append(#"{"function":"Shop.Checkout.step\#(depth)(order:)","module":"Shop","# + #""filename":"Sources/Shop/Checkout\#(depth % 4).swift","# + #""abs_path":"/srv/shop/Sources/Shop/Checkout\#(depth % 4).swift","lineno":\#(40 + depth * 7 + index % 5),"in_app":true}"#)
        }
        var json = #"{"event_id":"\#(id)","timestamp":"2026-11-27T12:00:00.000000Z","level":"error","# + #""logger":"shop","platform":"native","server_name":"web-1","message":"payment failed for order \#(index)","# + #""culprit":"Shop.Checkout.step0(order:)","tags":{"region":"eu","release":"shop@1.4.2"},"# + #""exception":{"values":[{"type":"PaymentError","value":"card declined (\#(index))","# + #""stacktrace":{"frames":[\#(frames.joined(separator: ","))]}}]},"extra":{"order":"\#(index)","padding":""#
        json += String(repeating: "x", count: max(0, eventBytes - json.utf8.count - 3)) + #""}}"#
        return json
    }

    private static func cpuNanoseconds() -> UInt64 {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let user = UInt64(usage.ru_utime.tv_sec) * 1_000_000_000 + UInt64(usage.ru_utime.tv_usec) * 1000
        return user + UInt64(usage.ru_stime.tv_sec) * 1_000_000_000 + UInt64(usage.ru_stime.tv_usec) * 1000
    }
}

/// `heka-bench --relay-sink`, running beside the benchmark until ``stop()``.
private final class SinkProcess {
    private let process = Process()
    private let input = Pipe()
    let port: Int

    init() throws {
        let output = Pipe()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe")
        process.arguments = ["--relay-sink"]
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        var line: [UInt8] = []
        while true {
            let byte = output.fileHandleForReading.readData(ofLength: 1)
            if byte.isEmpty || byte.first == 0x0A { break }
            line += byte
        }
        guard let port = Int(String(decoding: line, as: UTF8.self)), port > 0 else {
            process.terminate()
            throw BenchError("the relay sink did not start")
        }
        self.port = port
    }

    func stop() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}
