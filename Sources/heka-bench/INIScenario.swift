import Foundation
import HekaClient

/// Reading large INI files with `INIFile`: 100,000 keys in one section, and 20,000 sections
/// that inherit `[DEFAULT]` keys and interpolate them. Before the reader kept its sections and
/// keys in dictionaries, both cost time quadratic in their count (100,000 keys: 67 s).
enum INIScenario {
    /// Python 2.7.18's `SafeConfigParser`, reading the same files and getting every value of
    /// every section (what heka-py's reader does for the sections it reads), on this kind
    /// of machine: 100,000 keys, then 20,000 sections.
    static let python27Nanoseconds = (keys: 1_700_000_000.0, sections: 3_500_000_000.0)

    static func run(_ timing: Timing) throws -> [ScenarioResult] {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("heka-bench-ini-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let files = [("keys.ini", manyKeys()), ("sections.ini", manySections())].map { name, text in
            (directory.appendingPathComponent(name).path, text.utf8.count, text)
        }
        for (path, _, text) in files { try text.write(toFile: path, atomically: true, encoding: .utf8) }
        let samples = timing.interleaved(files.map { path, _, _ in
            { count in for _ in 0..<count { _ = try? INIFile(contentsOf: path, environment: [:]) } }
        })
        let names = ["read an INI file: 100,000 keys in one section",
                     "read an INI file: 20,000 sections, [DEFAULT] and %(name)s"]
        let python = [python27Nanoseconds.keys, python27Nanoseconds.sections]
        return files.indices.map { index in
            let median = samples[index].median
            let megabytes = Double(files[index].1) / 1_000_000
            return ScenarioResult(
                id: "ini-\(index + 1)", name: names[index], medianNanoseconds: median, hekaPyNanoseconds: python[index],
                note: String(format: "%.1f MB/s on a %.1f MB file", megabytes / (median / 1e9), megabytes))
        }
    }

    /// `[heka]` with 100,000 keys, one of them continued on three lines.
    static func manyKeys() -> String {
        var text = "[heka]\nlogger = bench\ndisabled_timers = a\n    b\n    c\n"
        for number in 0..<100_000 { text += "key_\(number) = value \(number) ; a comment\n" }
        return text
    }

    /// 20,000 sections of three keys that use two `[DEFAULT]` keys.
    static func manySections() -> String {
        var text = "[DEFAULT]\nroot = /srv\nmode = 100%%\n"
        for number in 0..<20_000 {
            text += "[heka_plugin_\(number)]\nprovider = dummy\npath = %(root)s/\(number)\nport = \(number)\n"
        }
        return text
    }
}
