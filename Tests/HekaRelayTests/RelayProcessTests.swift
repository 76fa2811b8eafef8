#if canImport(Glibc)
import Glibc
#endif
import Foundation
import HekaClient
import Testing

/// The `heka` binary next to the test bundle.
private let hekaBinary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("heka")

/// A `heka` child process whose standard error is collected as it comes, optionally with
/// a lower limit of open files (through the shell's `ulimit -n`).
final class HekaProcess: @unchecked Sendable {
    // @unchecked: `errorText` is guarded by `condition`.
    private let process = Process()
    private let condition = NSCondition()
    private var errorText = ""

    private let output = Pipe()

    init(_ arguments: [String], fileLimit: Int? = nil) throws {
        let pipe = Pipe()
        if let fileLimit {
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "ulimit -n \(fileLimit) && exec \"$0\" \"$@\"", hekaBinary.path] + arguments
        } else {
            process.executableURL = hekaBinary
            process.arguments = arguments
        }
        process.standardError = pipe
        process.standardOutput = output
        process.standardInput = FileHandle.nullDevice
        pipe.fileHandleForReading.readabilityHandler = { [condition] handle in
            let chunk = handle.availableData
            condition.withLock {
                self.errorText += String(decoding: chunk, as: UTF8.self)
                condition.broadcast()
            }
            if chunk.isEmpty { handle.readabilityHandler = nil }
        }
        try process.run()
    }

    /// Waits until standard error contains `text` (or `timeout` passes); whether it does.
    func waitFor(_ text: String, timeout: TimeInterval = 60) -> Bool {
        let deadline = Date(timeIntervalSinceNow: timeout)
        return condition.withLock {
            while !errorText.contains(text) { if !condition.wait(until: deadline) { return errorText.contains(text) } }
            return true
        }
    }

    var stderr: String { condition.withLock { errorText } }

    func kill() {
        Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    func wait() -> Int32 {
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Waits for the end (after a SIGINT with `interrupting`); standard output.
    func finish(interrupting: Bool) -> String {
        if interrupting { Glibc.kill(process.processIdentifier, SIGINT) }
        let out = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: out, as: UTF8.self)
    }
}

@Suite(.serialized) struct RelayProcessTests {
    @Test("a relay killed mid-stream and restarted on the same spool: every event arrives, none twice")
    func killedAndRestarted() throws {
        let server = try SentryStandIn { _, index in index < 5 ? .init(status: 200) : .init(status: 503) }
        defer { server.stop() }
        let dsn = standInDSN(port: server.port)
        let messages = (0..<30).map { errorLogMessage(payload: "failure \($0)", dsn: dsn) }
        let ids = messages.map { $0.uuid.uuidString.replacingOccurrences(of: "-", with: "").lowercased() }
        let spool = try temporarySpoolPath()
        let input = URL(fileURLWithPath: spool).deletingLastPathComponent().appendingPathComponent("in.jsonl")
        try Data(messages.flatMap { try JSONLinesEncoder().encode($0) }).write(to: input)
        let fast = ["--spool", spool, "--backoff", "0.01", "--max-backoff", "0.05", "--no-compress", "--max-in-flight", "2"]

        let first = try HekaProcess(["relay", input.path, "--stats-every", "0.05"] + fast)
        #expect(first.waitFor("received 30, forwarded 5"), "\(first.stderr)")
        #expect(first.waitFor("spooled 25"), "\(first.stderr)")
        first.kill()
        #expect(server.acceptedIDs.count == 5)

        server.respond { _, _ in .init(status: 200) }
        let second = try HekaProcess(["relay"] + fast)
        #expect(second.wait() == 0, "\(second.stderr)")
        #expect(second.stderr.contains("forwarded 25"), "\(second.stderr)")
        #expect(server.acceptedIDs.sorted() == ids.sorted())
    }
}
