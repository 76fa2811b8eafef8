#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing

/// A `heka` process left running (a listener): its standard error is read line by line as
/// it comes, its standard output collected in a file.
final class RunningHeka {
    private let process = Process()
    private let errorPipe = Pipe()
    private let outputPath: URL
    private var errorLines: [String] = []
    private var pending: [UInt8] = []

    init(_ arguments: [String]) throws {
        outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("heka-out-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: outputPath.path, contents: nil)
        process.executableURL = hekaBinary
        process.arguments = arguments
        process.standardOutput = try FileHandle(forWritingTo: outputPath)
        process.standardError = errorPipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    deinit {
        if process.isRunning { process.terminate() }
        try? FileManager.default.removeItem(at: outputPath)
    }

    /// Blocks until standard error has a line containing `text` and returns it; `nil` if the
    /// process ends first.
    func waitForLine(containing text: String) -> String? {
        while true {
            if let line = errorLines.first(where: { $0.contains(text) }) { return line }
            let chunk = errorPipe.fileHandleForReading.availableData
            if chunk.isEmpty { return nil }
            pending += chunk
            while let newline = pending.firstIndex(of: 0x0A) {
                errorLines.append(String(decoding: pending[..<newline], as: UTF8.self))
                pending.removeFirst(newline + 1)
            }
        }
    }

    /// The port of the `listening on … host:port` line.
    func listeningPort() throws -> Int {
        let line = try #require(waitForLine(containing: "listening on"))
        return try #require(Int(line.split(separator: ":").last ?? ""))
    }

    /// Sends SIGINT (Ctrl-C) and waits for the process to finish.
    func interrupt() -> CommandResult {
        kill(process.processIdentifier, SIGINT)
        return wait()
    }

    /// Waits for the process to finish on its own.
    func wait() -> CommandResult {
        let rest = errorPipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let earlier = errorLines.map { $0 + "\n" }.joined() + String(decoding: pending, as: UTF8.self)
        return CommandResult(
            status: process.terminationStatus, stdout: Array((try? Data(contentsOf: outputPath)) ?? Data()),
            stderr: earlier + String(decoding: rest, as: UTF8.self))
    }
}
