import Foundation
import HekaClient
import Testing

/// Runs the built `heka` binary, as a user would.
struct CommandResult {
    let status: Int32
    let stdout: [UInt8]
    let stderr: String
}

func runHeka(_ arguments: [String]) throws -> CommandResult {
    // The test bundle and the executables share the build directory.
    let directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    let binary = directory.appendingPathComponent("heka")
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("heka-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    let out = scratch.appendingPathComponent("stdout"), err = scratch.appendingPathComponent("stderr")
    _ = FileManager.default.createFile(atPath: out.path, contents: nil)
    _ = FileManager.default.createFile(atPath: err.path, contents: nil)
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    process.standardOutput = try FileHandle(forWritingTo: out)
    process.standardError = try FileHandle(forWritingTo: err)
    try process.run()
    process.waitUntilExit()
    return CommandResult(status: process.terminationStatus, stdout: Array(try Data(contentsOf: out)),
                         stderr: String(decoding: try Data(contentsOf: err), as: UTF8.self))
}

@Suite struct CommandTests {
    @Test("heka demo prints one JSON line per message, each decoding to a message")
    func demo() throws {
        let result = try runHeka(["demo"])
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        let messages = try JSONLinesDecoder.decodeAll(result.stdout).map { try $0.get() }
        #expect(messages.map(\.type) == [
            "demo.request", "oldstyle", "oldstyle", "oldstyle", "oldstyle", "oldstyle", "oldstyle",
            "counter", "timer", "timer", "gauge", "gauge",
        ])
        #expect(messages.allSatisfy { $0.logger == "heka-demo" && $0.envVersion == "0.8" })
        #expect(messages[0].field("route.name") == "basket" && messages[0].field("cached") == true)
        #expect(messages.map(\.severity.rawValue)[1...6] == [7, 6, 4, 3, 2, 1])
        #expect(Set(messages.map(\.uuid)).count == messages.count)
    }

    @Test("heka --help lists the subcommands; a wrong subcommand fails with a usage error")
    func help() throws {
        let help = try runHeka(["--help"])
        #expect(help.status == 0)
        #expect(String(decoding: help.stdout, as: UTF8.self).contains("demo"))
        let wrong = try runHeka(["no-such-command"])
        #expect(wrong.status == 64)
        #expect(wrong.stderr.contains("Unexpected argument"))
    }
}
