import Foundation
import HekaClient
import Testing

@Suite struct HelpAndVersionTests {
    static let commands = ["", "demo", "send", "cat", "flood", "raven-test", "config"]

    /// The discussion of `command`'s help: the lines after the overview, before the usage.
    func discussion(_ command: String, columns: Int) throws -> [Substring] {
        let result = try runHeka(command.split(separator: " ").map(String.init) + ["--help"],
                                 environment: ["COLUMNS": String(columns)])
        #expect(result.status == 0)
        let text = String(decoding: result.stdout, as: UTF8.self)
        let head = try #require(text.components(separatedBy: "\nUSAGE:").first)
        return head.split(separator: "\n", omittingEmptySubsequences: false).drop { !$0.isEmpty }.dropFirst()
            .map { $0 }
    }

    @Test("heka --version prints the version")
    func version() throws {
        for arguments in [["--version"], ["send", "--version"]] {
            let result = try runHeka(arguments)
            #expect(result.status == 0)
            #expect(String(decoding: result.stdout, as: UTF8.self) == "0.1.0\n")
        }
    }

    @Test("help prose has no hard line breaks: on a wide screen each paragraph is one line",
          arguments: commands)
    func proseIsNotHardWrapped(_ command: String) throws {
        let lines = try discussion(command, columns: 1000)
        #expect(!lines.isEmpty)
        for (line, next) in zip(lines, lines.dropFirst()) where !line.isEmpty && !line.hasPrefix(" ") {
            #expect(next.isEmpty || next.hasPrefix(" "), "\(command): \(line) / \(next)")
        }
    }

    @Test("on an 80-column screen each example stays on one line", arguments: commands.dropFirst())
    func examplesFit(_ command: String) throws {
        let lines = try discussion(command, columns: 80)
        let examples = lines.drop { $0 != "Examples:" }.dropFirst().prefix { !$0.isEmpty }
        #expect(!examples.isEmpty)
        for example in examples { #expect(example.hasPrefix("  heka ") || example.contains(" | heka "), "\(example)") }
    }

    @Test("--severity takes every name heka.ini takes, and its help and error list exactly those")
    func severityNames() throws {
        let names = Severity.acceptedNames.split(separator: ", ").flatMap { $0.split(separator: "/") }
        #expect(names == ["emergency", "emerg", "alert", "critical", "crit", "error", "err", "warning", "warn",
                          "notice", "informational", "info", "debug"])
        let elsewhere = FileManager.default.temporaryDirectory
        for name in names + ["WARN", "3"] {
            let result = try runHeka(["send", "--severity", String(name), "x"], in: elsewhere)
            #expect(result.status == 0, "\(name): \(result.stderr)")
            let message = try #require(try JSONLinesDecoder.decodeAll(result.stdout).first?.get())
            #expect(message.severity == Severity(name))
            #expect(try HekaConfiguration(iniText: "[heka]\nseverity = \(name)\n", path: "a.ini").severity
                == message.severity)
        }
        let list = "0–7 or a level name (emergency/emerg, alert, critical/crit, error/err, warning/warn, notice, "
            + "informational/info, debug)"
        let bad = try runHeka(["send", "--severity", "loud", "x"], in: elsewhere)
        #expect(bad.status == 64)
        #expect(bad.stderr.hasPrefix(
            "Error: The value 'loud' is invalid for '--severity <severity>': expected a severity \(list)\n"))
        let help = try runHeka(["send", "--help"], environment: ["COLUMNS": "1000"])
        #expect(String(decoding: help.stdout, as: UTF8.self).contains(
            "The severity: \(list). Default: the configuration's, else 6.\n"))
        let config = try #require(#expect(throws: ConfigurationError.self) {
            try HekaConfiguration(iniText: "[heka]\nseverity = loud\n", path: "a.ini")
        })
        #expect(config.description == "a.ini:2: [heka] severity: expected a severity \(list), found \"loud\"")
    }
}
