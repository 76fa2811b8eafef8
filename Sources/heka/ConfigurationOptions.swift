import ArgumentParser
import Foundation
import HekaClient
import HekaRaven

/// `--config` and `--section`, shared by the commands that build a client.
struct ConfigurationOptions: ParsableArguments {
    /// The example configuration at the root of the repository, used when it is in the
    /// current directory and no --config is given.
    static let example = "heka.ini.example"

    @Option(name: .customLong("config"),
            help: "A heka.ini file (heka-py's format). Default: ./heka.ini.example when present, else JSON lines on stdout.")
    var path: String?

    @Option(help: "The client's section in the file; its _filter_*, _plugin_* and _hmac sections come with it.")
    var section = "heka"

    /// The file's configuration, or `fallback` when no file is given or found. A loading
    /// error is printed as it is (it names the file, line, section and key) and fails the
    /// command.
    func load(default fallback: HekaConfiguration) throws(ConfigurationError) -> HekaConfiguration {
        let chosen = path ?? (FileManager.default.fileExists(atPath: Self.example) ? Self.example : nil)
        guard let chosen else { return fallback }
        return try HekaConfiguration(iniFile: chosen, section: section)
    }
}
