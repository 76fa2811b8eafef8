import Foundation
import HekaClient
import LoopbackSupport
import Streams
import Testing

@testable import HekaRaven

/// Real crashes of `heka-crasher`, reported by Swift's backtracer, sent at the next start.
@Suite struct CrashReportTests {
    /// One way to crash: the mode, the signal it ends with, the function that trapped and the
    /// text of the line it trapped on.
    struct Crash: Sendable, CustomTestStringConvertible {
        var mode: String
        var signal: (number: Int32, name: String)
        var function: String
        var line: String
        /// The exception's value: the backtracer's words for the signal, or the check that
        /// trapped when the compiler named it.
        var value = "Illegal instruction"
        var testDescription: String { mode }
    }

    static let crashes = [
        Crash(mode: "index", signal: (4, "SIGILL"), function: "element(_:at:)", line: "values[index]"),
        Crash(mode: "fatal", signal: (4, "SIGILL"), function: "crash(_:)", line: "case \"fatal\": fatalError("),
        Crash(mode: "nil", signal: (4, "SIGILL"), function: "unwrapped(_:)", line: "value!"),
        Crash(mode: "null", signal: (11, "SIGSEGV"), function: "store(_:at:)", line: ".pointee = value",
              value: "Bad pointer dereference"),
        Crash(mode: "overflow", signal: (4, "SIGILL"), function: "sum(_:_:)", line: "a + b",
              value: "Swift runtime failure: arithmetic overflow"),
    ]

    @Test("a crash becomes one fatal event at the next start, and its report is removed", arguments: crashes)
    func crashIsSentAtNextStart(_ crash: Crash) throws {
        let directory = try CrashingProgram.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let outcome = try CrashingProgram.run([crash.mode], reportsInto: directory)
        #expect(outcome.signal == crash.signal.number, "\(outcome.standardError)")
        let reports = CrashingProgram.files(in: directory)
        try #require(reports.count == 1 && reports[0].hasPrefix("heka-crasher-\(outcome.pid)-"), "\(reports)")

        let (client, stream) = try ravenClient(
            RavenPlugin(release: "shop@1.2", serverName: "web-3", tags: ["region": "eu"],
                        crashReports: directory.path))
        #expect(client.flush(timeout: .symbolication))
        #expect(CrashingProgram.files(in: directory) == [])
        let messages = stream.messages
        try #require(messages.count == 1)
        let message = messages[0]
        #expect(message.type == "stacktrace" && message.severity == .critical && message.pid == outcome.pid)

        let json = try SentryPayload.unpack(message.payload)
        let event = try #require(try JSONSerialization.jsonObject(with: Data(json)) as? [String: Any])
        #expect(event["level"] as? Int == 50)
        #expect(event["release"] as? String == "shop@1.2" && event["server_name"] as? String == "web-3")
        let tags = try #require(event["tags"] as? [String: String])
        #expect(tags == ["region": "eu", "signal": crash.signal.name])
        #expect(event["event_id"] as? String == message.uuid.uuidString.lowercased().replacingOccurrences(of: "-", with: ""))

        let exception = try #require((event["exception"] as? [String: Any])?["values"] as? [[String: Any]]).first
        #expect(exception?["type"] as? String == crash.signal.name && exception?["value"] as? String == crash.value)
        let mechanism = try #require(exception?["mechanism"] as? [String: Any])
        #expect(mechanism["type"] as? String == "signalhandler" && mechanism["handled"] as? Bool == false)
        let signal = (mechanism["meta"] as? [String: Any])?["signal"] as? [String: Any]
        #expect(signal?["number"] as? Int == Int(crash.signal.number) && signal?["name"] as? String == crash.signal.name)

        // The crashed thread's stack, oldest first: the trapping function last among the
        // program's own frames, with its file, line and source; `crash(_:)` and main before it.
        let frames = try #require((exception?["stacktrace"] as? [String: Any])?["frames"] as? [[String: Any]])
        let own = frames.filter { $0["in_app"] as? Bool == true }
        let innermost = try #require(own.last)
        #expect((innermost["function"] as? String)?.hasSuffix(crash.function) == true, "\(own)")
        #expect(innermost["filename"] as? String == "main.swift")
        #expect(innermost["lineno"] as? Int == (try CrashingProgram.line(containing: crash.line)))
        #expect((innermost["context_line"] as? String)?.contains(crash.line) == true)
        #expect((innermost["pre_context"] as? [String])?.isEmpty == false)
        #expect(own.contains { ($0["function"] as? String)?.hasSuffix("crash(_:)") == true })
        #expect(innermost["module"] as? String == "heka_crasher" && innermost["package"] as? String == "heka-crasher")
        #expect(own.allSatisfy { $0["filename"] as? String == "main.swift" && $0["lineno"] is Int })
        // Innermost: the faulting line itself, or the runtime's code that trapped.
        #expect(frames.last?["in_app"] as? Bool == (crash.mode == "null"))

        // Every thread, the crashed one first and without a stack (it is the exception's).
        let threads = try #require((event["threads"] as? [String: Any])?["values"] as? [[String: Any]])
        #expect(threads.count >= 2)
        #expect(threads.first?["crashed"] as? Bool == true && threads.first?["stacktrace"] == nil)
        #expect(exception?["thread_id"] as? Int == threads.first?["id"] as? Int)
        #expect(threads.dropFirst().allSatisfy { $0["crashed"] as? Bool == false && $0["stacktrace"] != nil })

        let images = try #require((event["debug_meta"] as? [String: Any])?["images"] as? [[String: Any]])
        let program = try #require(images.first { $0["code_file"] as? String == CrashingProgram.binary.path })
        #expect((program["code_id"] as? String)?.count == 40 && program["debug_id"] is String)

        let contexts = try #require(event["contexts"] as? [String: [String: Any]])
        #expect((contexts["os"]?["raw_description"] as? String)?.hasPrefix("Linux") == true)
        #expect(contexts["device"]?["arch"] as? String == "x86_64")

        let verdict = try SentryNormalizer.check(json)
        #expect(verdict.problems == [])
        #expect(verdict.normalized.contains(#""level": "fatal""#))
        #expect(verdict.normalized.contains(#""name": "Linux""#))
    }

    @Test("each report is sent once: a second start finds nothing, a report is claimed by one client")
    func sentOnce() throws {
        let directory = try CrashingProgram.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        for _ in 0..<2 { _ = try CrashingProgram.run(["index"], reportsInto: directory) }
        try #require(CrashingProgram.files(in: directory).count == 2)
        // Two clients start at once on the same directory: between them, one message per report.
        let first = try ravenClient(RavenPlugin(crashReports: directory.path))
        let second = try ravenClient(RavenPlugin(crashReports: directory.path))
        #expect(first.0.flush(timeout: .symbolication) && second.0.flush(timeout: .symbolication))
        #expect(first.1.count + second.1.count == 2)
        let ids = Set((first.1.messages + second.1.messages).map(\.uuid))
        #expect(ids.count == 2)
        #expect(CrashingProgram.files(in: directory) == [])
        let third = try ravenClient(RavenPlugin(crashReports: directory.path))
        #expect(third.0.flush(timeout: .symbolication) && third.1.count == 0)
    }

    @Test("a report that cannot be read is moved to unreadable/ and reported; one still being written is left")
    func unreadableReports() throws {
        let directory = try CrashingProgram.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try CrashingProgram.run(["nil"], reportsInto: directory)
        let name = try #require(CrashingProgram.files(in: directory).first)
        let report = directory.appendingPathComponent(name)
        let whole = try Data(contentsOf: report)
        // Cut short, as a backtracer that died halfway leaves it; written a while ago.
        try whole.prefix(whole.count / 2).write(to: report)
        let old = Date().addingTimeInterval(-CrashReportDirectory.settleTime - 5)
        try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: report.path)
        // Another report, cut short just now: still being written, as far as anyone can tell.
        let young = directory.appendingPathComponent("heka-crasher-1-0.0.json")
        try whole.prefix(100).write(to: young)

        let errors = ReportedErrors()
        let stream = DebugCaptureStream()
        var plugins = PluginSet()
        try plugins.bind(RavenPlugin(crashReports: directory.path))
        let client = HekaClient(stream: stream, plugins: plugins, errorHandler: errors.handler)
        #expect(client.flush(timeout: .symbolication))
        #expect(stream.count == 0)
        #expect(CrashingProgram.files(in: directory) == ["heka-crasher-1-0.0.json", "unreadable"])
        #expect(CrashingProgram.files(in: directory.appendingPathComponent("unreadable")) == [name])
        let reported = errors.all.map(\.description)
        #expect(reported.count == 1)
        #expect(reported.first?.contains("crash report \(directory.path)/unreadable/\(name) cannot be read (not JSON") == true,
                "\(reported)")
    }

    @Test("a report whose record cannot be delivered stays for the next start")
    func undeliveredStays() throws {
        let directory = try CrashingProgram.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try CrashingProgram.run(["fatal"], reportsInto: directory)
        let names = CrashingProgram.files(in: directory)
        let stream = DebugCaptureStream()
        try stream.close(timeout: .seconds(1))  // every write now fails
        let errors = ReportedErrors()
        let client = HekaClient(stream: stream, errorHandler: errors.handler)
        let summary = client.sendCrashReports(in: directory.path)
        #expect(summary == { var s = CrashReportSummary(); s.left = 1; return s }())
        #expect(CrashingProgram.files(in: directory) == names)
        #expect(errors.all.count == 1)
    }
}
