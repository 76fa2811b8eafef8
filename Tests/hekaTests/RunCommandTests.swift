#if canImport(Glibc)
import Glibc
#endif
import Foundation
import HekaClient
import HekaRaven
import LoopbackSupport
import Testing

/// `heka run` supervising `heka-crasher`, which crashes for real under Swift's backtracer.
@Suite struct RunCommandTests {
    @Test("a program that crashes twice, then starts: one event per crash, at once, and its status each time")
    func crashesTwiceThenStarts() throws {
        let directory = try CrashingProgram.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let counter = directory.appendingPathComponent("runs").path
        let reports = directory.appendingPathComponent("reports").path
        var statuses: [Int32] = []
        var events: [[String: Any]] = []
        for _ in 0..<3 {
            let result = try runHeka(["run", "--crash-reports", reports, "--", CrashingProgram.binary.path,
                                      "index", counter, "2"], in: directory)
            statuses.append(result.status)
            let messages = try JSONLinesDecoder.decodeAll(result.stdout).map { try $0.get() }
            #expect(messages.allSatisfy { $0.type == "stacktrace" && $0.severity == .critical })
            for message in messages {
                let json = try SentryPayload.unpack(message.payload)
                #expect(try SentryNormalizer.check(json).problems == [])
                events.append(try #require(try JSONSerialization.jsonObject(with: Data(json)) as? [String: Any]))
            }
            // Each crash is sent before heka exits, and its report removed.
            #expect(events.count == statuses.filter { $0 != 0 }.count, "\(result.stderr)")
            #expect(CrashingProgram.files(in: URL(fileURLWithPath: reports)) == [])
        }
        #expect(statuses == [128 + 4, 128 + 4, 0])
        #expect(events.count == 2)
        for event in events {
            let exception = ((event["exception"] as? [String: Any])?["values"] as? [[String: Any]])?.first
            #expect(exception?["type"] as? String == "SIGILL")
            let frames = (exception?["stacktrace"] as? [String: Any])?["frames"] as? [[String: Any]] ?? []
            let own = frames.last { $0["in_app"] as? Bool == true }
            #expect((own?["function"] as? String)?.hasSuffix("element(_:at:)") == true)
            #expect(own?["lineno"] as? Int == (try CrashingProgram.line(containing: "values[index]")))
        }
        #expect(Set(events.compactMap { $0["event_id"] as? String }).count == 2)
    }

    @Test("an exit status is passed through, with nothing sent")
    func exitStatus() throws {
        let directory = try CrashingProgram.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try runHeka(["run", "--crash-reports", directory.path, "--", CrashingProgram.binary.path, "exit:3"],
                                 in: directory)
        #expect(result.status == 3)
        #expect(result.stdout.isEmpty && result.stderr.isEmpty)
    }

    @Test("a signal sent to heka run reaches the program; its death by it is heka's status", arguments: [SIGTERM, SIGUSR2])
    func signalsPassThrough(_ signal: Int32) throws {
        let directory = try CrashingProgram.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let process = Process()
        process.executableURL = hekaBinary
        process.arguments = ["run", "--crash-reports", directory.path, "--", CrashingProgram.binary.path, "wait"]
        process.currentDirectoryURL = directory
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        let ended = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in ended.signal() }
        try process.run()
        var seen = Data()
        while !String(decoding: seen, as: UTF8.self).contains("ready\n") {
            let chunk = output.fileHandleForReading.availableData
            try #require(!chunk.isEmpty, "the program ended before it was ready")
            seen += chunk
        }
        kill(process.processIdentifier, signal)
        guard ended.wait(timeout: .now() + 60) == .success else {
            process.terminate()
            Issue.record("heka run did not end within 60 s of the signal")
            return
        }
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 128 + signal)
    }

    @Test("the program gets SWIFT_BACKTRACE for the directory, with the user's other options kept")
    func environment() throws {
        let directory = try CrashingProgram.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try runHeka(["run", "--crash-reports", directory.path, "--", "env"], in: directory,
                                 environment: ["SWIFT_BACKTRACE": "limit=8,enable=no,output-to=stderr"])
        #expect(result.status == 0)
        let lines = String(decoding: result.stdout, as: UTF8.self).split(separator: "\n")
        #expect(lines.filter { $0.hasPrefix("SWIFT_BACKTRACE=") } == [
            "SWIFT_BACKTRACE=limit=8,enable=yes,format=json,interactive=no,output-to=\(directory.path)",
        ])
    }

    @Test("heka run --help says what it does, with examples")
    func help() throws {
        let result = try runHeka(["run", "--help"])
        let text = String(decoding: result.stdout, as: UTF8.self)
        #expect(result.status == 0 && text.contains("Examples:") && text.contains("--crash-reports <directory>"))
    }

    @Test("no program, a program that is not there, no directory: each said, with a shell's status")
    func failures() throws {
        let directory = try CrashingProgram.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let missing = try runHeka(["run", "--crash-reports", directory.path, "--", "/nonexistent/program"], in: directory)
        #expect(missing.status == 127)
        #expect(missing.stderr == "heka run: cannot run /nonexistent/program: No such file or directory\n")
        let noProgram = try runHeka(["run", "--crash-reports", directory.path], in: directory)
        #expect(noProgram.status == 64 && noProgram.stderr.hasPrefix("Error: give the program to run after --\n"))
        let noDirectory = try runHeka(["run", "--", "true"], in: directory)
        #expect(noDirectory.status == 64)
        #expect(noDirectory.stderr.hasPrefix("Error: no crash-reports directory: give --crash-reports"))
    }
}
