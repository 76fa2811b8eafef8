#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing

/// Runs `heka` with `arguments` in the repository's root, its standard output and error the
/// given handles; returns how it ended and what it wrote to `stderrPath`, if that is a file.
private func runHeka(
    _ arguments: [String], stdout: FileHandle, stderr: FileHandle
) throws -> (reason: Process.TerminationReason, status: Int32) {
    let process = Process()
    process.executableURL = hekaBinary
    process.arguments = arguments
    process.currentDirectoryURL = packageRoot
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = stdout
    process.standardError = stderr
    try process.run()
    process.waitUntilExit()
    return (process.terminationReason, process.terminationStatus)
}

/// A pipe whose reader has gone: a write to its write end raises `SIGPIPE`.
private func pipeWithoutReader() -> Pipe {
    let pipe = Pipe()
    try? pipe.fileHandleForReading.close()
    return pipe
}

/// A scratch file (for a child's standard output or error, or its input), and its text.
private final class ScratchFile {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("heka-scratch-\(UUID().uuidString)")
    let handle: FileHandle

    init(contents: String = "") throws {
        _ = FileManager.default.createFile(atPath: url.path, contents: Data(contents.utf8))
        handle = try FileHandle(forWritingTo: url)
    }

    var text: String { (try? String(contentsOf: url, encoding: .utf8)) ?? "" }

    deinit { try? FileManager.default.removeItem(at: url) }
}

/// Messages for `heka cat` to print: two JSON lines, as a file.
private func catInput() throws -> ScratchFile {
    try ScratchFile(contents: """
        {"uuid": "0f8e5c3a-1b2d-4e6f-8a9b-0c1d2e3f4a5b", "timestamp": 1795775972459259051, "type": "first", "payload": "hello"}
        {"uuid": "1f8e5c3a-1b2d-4e6f-8a9b-0c1d2e3f4a5b", "timestamp": 1795775972459259052, "type": "second", "payload": "world"}

        """)
}

@Suite("commands whose output cannot be written")
struct OutputFailureTests {
    static let hasFullDevice = FileManager.default.fileExists(atPath: "/dev/full")

    @Test("standard output is /dev/full: cat, demo and config exit 1 and say why",
          .enabled(if: hasFullDevice, "needs Linux's /dev/full"),
          arguments: [["cat", "MESSAGES"], ["demo"], ["demo", "--swift-log"], ["config"]])
    func fullDevice(arguments: [String]) throws {
        let messages = try catInput()
        let full = try FileHandle(forWritingTo: URL(fileURLWithPath: "/dev/full"))
        let errors = try ScratchFile()
        let ended = try runHeka(arguments.map { $0 == "MESSAGES" ? messages.url.path : $0 }, stdout: full, stderr: errors.handle)
        #expect(ended.reason == .exit && ended.status == 1)
        #expect(errors.text.contains("No space left on device"))
        if arguments[0] == "cat" {
            #expect(errors.text.contains("heka cat: cannot write to standard output: No space left on device"))
            #expect(errors.text.contains("1 problem"))
        }
    }

    @Test("standard output's reader has gone: cat, demo and config end quietly with status 1, never killed by SIGPIPE",
          arguments: [["cat", "MESSAGES"], ["demo"], ["demo", "--swift-log"], ["config"]])
    func brokenStandardOutput(arguments: [String]) throws {
        let messages = try catInput()
        let pipe = pipeWithoutReader()
        let errors = try ScratchFile()
        let ended = try runHeka(
            arguments.map { $0 == "MESSAGES" ? messages.url.path : $0 }, stdout: pipe.fileHandleForWriting, stderr: errors.handle)
        #expect(ended.reason == .exit && ended.status == 1)
        if arguments[0] == "demo" {
            // On a loaded machine the demo's raven capture may report its own delay; the
            // broken pipe is never said.
            #expect(!errors.text.contains("Broken pipe"))
        } else {
            #expect(errors.text == "")
        }
    }

    @Test("standard error's reader has gone: problems are still counted and the exit status says so")
    func brokenStandardError() throws {
        let bad = try ScratchFile(contents: "{not json\n")
        let output = try ScratchFile()
        let ended = try runHeka(["cat", bad.url.path], stdout: output.handle, stderr: pipeWithoutReader().fileHandleForWriting)
        #expect(ended.reason == .exit && ended.status == 1)
    }

    @Test("a client whose file writes all fail, its standard error's reader gone: reporting them does not kill it",
          .enabled(if: hasFullDevice, "needs Linux's /dev/full"))
    func brokenStandardErrorWhileReporting() throws {
        // A file stream into /dev/full: every write fails and is reported on standard error.
        let config = try ScratchFile(contents: "[heka]\nstream_class = file\nstream_filepath = /dev/full\n")
        let output = try ScratchFile()
        let ended = try runHeka(
            ["demo", "--config", config.url.path, "--section", "heka"], stdout: output.handle,
            stderr: pipeWithoutReader().fileHandleForWriting)
        #expect(ended.reason == .exit && ended.status == 1)
    }
}
