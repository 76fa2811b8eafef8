import Foundation

/// Sentry's own event normalizer (the `sentry-relay` package's `StoreNormalizer`, the Rust
/// code Sentry runs on every event it receives), asked for a second opinion on an event.
///
/// The venv it runs in is made by `scripts/python-oracles.sh` (CI runs it; the first test
/// that needs it runs it too, so `swift test` on a fresh machine needs nothing by hand).
public enum SentryNormalizer {
    /// What the normalizer made of one event.
    public struct Verdict: Sendable {
        /// Everything the normalizer refused or changed: the event's `errors` and every
        /// `_meta` entry that carries an error or a replaced value, as `path: reason`.
        public let problems: [String]
        /// The normalized event, as JSON.
        public let normalized: String
    }

    /// The project's root folder, two levels above this file.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The venv's Python, made on first use (once per test process).
    static let python: Result<URL, OracleError> = {
        let script = packageRoot.appendingPathComponent("scripts/python-oracles.sh")
        let status = run(script, [], input: [])
        guard status.exitCode == 0 else {
            return .failure(OracleError(description: "scripts/python-oracles.sh failed: \(status.error)"))
        }
        return .success(packageRoot.appendingPathComponent(".build/python-oracles/bin/python"))
    }()

    /// Normalizes the event `json` (a JSON object, as sent to Sentry's store or envelope).
    public static func check(_ json: [UInt8]) throws -> Verdict {
        let python = try python.get()
        let result = run(python, ["-c", normalizeScript], input: json)
        guard result.exitCode == 0,
              let object = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any],
              let problems = object["problems"] as? [String], let normalized = object["event"] as? String
        else { throw OracleError(description: "the normalizer failed: \(result.error)\(result.output)") }
        return Verdict(problems: problems, normalized: normalized)
    }

    public struct OracleError: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    private static let normalizeScript = #"""
import json, sys
from sentry_relay import StoreNormalizer
event = json.loads(sys.stdin.buffer.read())
normalized = StoreNormalizer().normalize_event(event)
problems = ["errors: %s" % json.dumps(e, sort_keys=True) for e in normalized.get("errors", [])]
def walk(node, path):
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        if key == "":
            if value.get("err"):
                problems.append("%s: %s" % (path or ".", json.dumps(value["err"])))
            if "val" in value:
                problems.append("%s: replaced %s" % (path or ".", json.dumps(value["val"])))
        else:
            walk(value, path + "." + key if path else key)
walk(normalized.get("_meta", {}), "")
print(json.dumps({"problems": problems, "event": json.dumps(normalized, sort_keys=True)}))
"""#

    private struct Outcome { var exitCode: Int32; var output: String; var error: String }

    /// Runs a program with `input` on standard input; output and errors go through temporary
    /// files, which no pipe buffer can stall.
    private static func run(_ executable: URL, _ arguments: [String], input: [UInt8]) -> Outcome {
        let directory = FileManager.default.temporaryDirectory
        let stem = "heka-oracle-\(UUID().uuidString)"
        let files = ["in", "out", "err"].map { directory.appendingPathComponent("\(stem)-\($0)") }
        defer { for file in files { try? FileManager.default.removeItem(at: file) } }
        do {
            try Data(input).write(to: files[0])
            for file in files.dropFirst() { _ = FileManager.default.createFile(atPath: file.path, contents: nil) }
            let process = Process()
            process.executableURL = executable
            process.arguments = arguments
            process.standardInput = try FileHandle(forReadingFrom: files[0])
            process.standardOutput = try FileHandle(forWritingTo: files[1])
            process.standardError = try FileHandle(forWritingTo: files[2])
            try process.run()
            process.waitUntilExit()
            return Outcome(exitCode: process.terminationStatus,
                           output: String(decoding: try Data(contentsOf: files[1]), as: UTF8.self),
                           error: String(decoding: try Data(contentsOf: files[2]), as: UTF8.self))
        } catch {
            return Outcome(exitCode: -1, output: "", error: "\(executable.path): \(error)")
        }
    }
}
