import Foundation

/// `heka-crasher`, the test program that crashes on purpose (Tests/heka-crasher), run under
/// Swift's backtracer.
public enum CrashingProgram {
    /// The built program: test bundles and executables share the build directory.
    public static let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        .appendingPathComponent("heka-crasher")

    /// Its source, to find the lines its frames should name.
    public static let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("heka-crasher/main.swift")

    /// The `SWIFT_BACKTRACE` that makes the backtracer write JSON reports into `directory`.
    public static func backtraceOptions(directory: URL) -> String {
        "enable=yes,format=json,interactive=no,output-to=\(directory.path)"
    }

    /// How a run ended.
    public struct Outcome: Sendable {
        /// The process id it had.
        public var pid: Int32
        /// The signal that killed it, if one did.
        public var signal: Int32?
        /// Its exit status, when it exited.
        public var status: Int32?
        /// What it wrote on standard error.
        public var standardError: String
    }

    /// Runs `heka-crasher MODE` with the backtracer writing into `directory` and waits for it
    /// to end (the backtracer has then finished writing: the crashing process waits for it).
    public static func run(_ arguments: [String], reportsInto directory: URL) throws -> Outcome {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["SWIFT_BACKTRACE"] = backtraceOptions(directory: directory)
        process.environment = environment
        let errors = FileManager.default.temporaryDirectory.appendingPathComponent("crasher-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errors) }
        process.standardError = try FileHandle(forWritingTo: errors)
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try wait(for: process, deadline: .seconds(120))
        let signalled = process.terminationReason == .uncaughtSignal
        return Outcome(pid: process.processIdentifier, signal: signalled ? process.terminationStatus : nil,
                       status: signalled ? nil : process.terminationStatus,
                       standardError: (try? String(contentsOf: errors, encoding: .utf8)) ?? "")
    }

    /// A program that did not end in time.
    public struct Timeout: Error, CustomStringConvertible {
        public var description: String
    }

    /// Starts `process` and waits for it to end, at most `deadline` (the backtracer takes a
    /// while to symbolicate, on a busy machine more); past it the process is killed and
    /// ``Timeout`` thrown.
    public static func wait(for process: Process, deadline: Duration) throws {
        let ended = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in ended.signal() }
        try process.run()
        guard ended.wait(timeout: .now() + .seconds(Int(deadline.components.seconds))) == .success else {
            process.terminate()
            throw Timeout(description: "\(process.executableURL?.path ?? "the program") did not end within \(deadline)")
        }
    }

    /// The 1-based number of the line of the program's source that contains `text`.
    public static func line(containing text: String) throws -> Int {
        let lines = try String(contentsOf: source, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        guard let index = lines.firstIndex(where: { $0.contains(text) }) else {
            throw CocoaError(.fileReadCorruptFile)
        }
        return index + 1
    }

    /// A new empty directory under the temporary directory.
    public static func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("heka-crashes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    /// The files directly in `directory`, sorted, hidden ones included.
    public static func files(in directory: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).sorted()
    }
}
