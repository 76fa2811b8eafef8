import Foundation
import Streams
import Testing

@testable import HekaClient

/// heka-py's test plugin (`heka/tests/plugin.py`): built from any keys; called with
/// `verbose: true` it returns its settings, without `verbose`, when the configuration also
/// said `verbose`.
struct DummyPlugin: HekaPlugin {
    static let pluginName = "dummy"
    static let providerNames = ["heka.tests.plugin:config_plugin", "heka.tests.plugin.config_plugin"]
    let verbose: Bool
    let settings: [String: ConfigurationValue]

    init(arguments: ConfigurationSection) throws(ConfigurationError) {
        verbose = try arguments.bool("verbose") ?? false
        var settings: [String: ConfigurationValue] = [:]
        for entry in arguments.entries where entry.key != "verbose" { settings[entry.key] = entry.value }
        self.settings = settings
    }

    func call(verbose: Bool) -> [String: ConfigurationValue]? { self.verbose && verbose ? settings : nil }
}

/// heka-py's `heka/tests/plugin_exception.py`: a plugin that wants the name `exception`.
struct ExceptionPlugin: HekaPlugin {
    static let pluginName = "exception"
    static let providerNames = ["heka.tests.plugin_exception:config_plugin"]
    init(arguments: ConfigurationSection) throws(ConfigurationError) {}
}

/// A plugin that accepts only `level`.
struct StrictPlugin: HekaPlugin {
    static let pluginName = "strict"
    static let acceptedKeys: [String]? = ["level"]
    let level: Int
    init(arguments: ConfigurationSection) throws(ConfigurationError) {
        level = try arguments.integer("level", in: 1...3) ?? 1
    }
}

/// A registry holding the test plugins.
func testRegistry() -> PluginRegistry {
    let registry = PluginRegistry()
    registry.register(DummyPlugin.self)
    registry.register(ExceptionPlugin.self)
    return registry
}

/// Loads INI text with the test plugins registered and an environment of the test's own.
func load(_ text: String, section: String = "heka", environment: [String: String] = [:]) throws(ConfigurationError)
    -> HekaConfiguration
{
    try HekaConfiguration(iniText: text, section: section, path: "test.ini", environment: environment,
                          registry: testRegistry())
}

/// The debug capture stream a configured client writes to.
func captured(_ client: HekaClient) throws -> DebugCaptureStream {
    try #require(client.stream as? DebugCaptureStream)
}
