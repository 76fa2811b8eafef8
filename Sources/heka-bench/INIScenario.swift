import Foundation
import HekaClient

/// Reading large INI files: a configuration whose plugin section has 100,000 keys (the file
/// read, then the section handed to the plugin), and an `INIFile` of 20,000 sections that
/// inherit `[DEFAULT]` keys and interpolate them. Before the reader and configuration
/// sections kept their keys in dictionaries, both cost time quadratic in their count
/// (100,000 keys: 67 s).
enum INIScenario {
    /// Python 2.7.18's `SafeConfigParser`, reading the same files and getting every value of
    /// every section (what heka-py's reader does for the sections it reads), on this kind
    /// of machine: 100,000 keys, then 20,000 sections.
    static let python27Nanoseconds = (keys: 2_000_000_000.0, sections: 3_100_000_000.0)

    static func run(_ timing: Timing) throws -> [ScenarioResult] {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("heka-bench-ini-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let files = [("keys.ini", manyKeys()), ("sections.ini", manySections())].map { name, text in
            (directory.appendingPathComponent(name).path, text.utf8.count, text)
        }
        for (path, _, text) in files { try text.write(toFile: path, atomically: true, encoding: .utf8) }
        let registry = PluginRegistry([AnyKeysPlugin.self])
        let (keys, sections) = (files[0].0, files[1].0)
        let samples = timing.interleaved([
            { count in
                for _ in 0..<count { _ = try? HekaConfiguration(iniFile: keys, environment: [:], registry: registry) }
            },
            { count in for _ in 0..<count { _ = try? INIFile(contentsOf: sections, environment: [:]) } },
        ])
        if (try? HekaConfiguration(iniFile: keys, environment: [:], registry: registry)) == nil {
            throw BenchError("\(keys) does not load")
        }
        let names = ["load a configuration: 100,000 keys in a plugin section",
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

    /// `[heka]`, then a plugin section with 100,000 keys.
    static func manyKeys() -> String {
        var text = "[heka]\nlogger = bench\ndisabled_timers = a\n    b\n    c\n"
        text += "[heka_plugin_bench]\nprovider = \(AnyKeysPlugin.pluginName)\n"
        for number in 0..<100_000 { text += "key_\(number) = value \(number) ; a comment\n" }
        return text
    }

    /// A plugin that takes any keys.
    struct AnyKeysPlugin: HekaPlugin {
        static let pluginName = "bench"
        let count: Int
        init(arguments: ConfigurationSection) throws(ConfigurationError) { count = arguments.entries.count }
    }

    /// 20,000 sections of three keys that use two `[DEFAULT]` keys.
    static func manySections() -> String {
        var text = "[DEFAULT]\nroot = /srv\nmode = 100%%\n"
        for number in 0..<20_000 {
            text += "[app_\(number)]\nuse = egg:app\npath = %(root)s/\(number)\nport = \(number)\n"
        }
        return text
    }
}
