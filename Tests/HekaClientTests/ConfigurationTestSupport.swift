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

/// The `[heka]` section of heka-py's getting-started guide (docs/source/getstarted.rst), which
/// its configuration guide (docs/source/config.rst) repeats.
let hekaPyGettingStarted = """
    [heka]
    logger = myapp
    severity = 4
    disabled_timers = foo
                      bar
    stream_class = heka.streams.UdpStream
    stream_host = localhost
    stream_port = 5565
    """

/// A `[heka]` section, then one section per element of `extras` (labelled `a`, `b`, …) that
/// binds heka-py's dummy plugin, with the extra lines the element gives.
func dummyPluginSections(_ extras: String...) -> String {
    var text = "[heka]\n"
    for (label, extra) in zip("abcdefgh", extras) {
        text += "[heka_plugin_\(label)]\nprovider = heka.tests.plugin:config_plugin\n"
        text += extra.isEmpty ? "" : extra + "\n"
    }
    return text
}

/// Loads one of heka-py's test configurations: `[section]` writing to the DebugCaptureStream
/// (by its Python name), then the sections `rest` gives.
func loadCapturing(_ rest: String = "", section: String = "heka") throws(ConfigurationError) -> HekaConfiguration {
    try load("[\(section)]\nstream_class = heka.streams.DebugCaptureStream\n" + rest, section: section)
}

/// heka-py's two filter sections (its test_filters_config and its configuration guide):
/// `severity_max` at `severity`, then a `type_whitelist` of `types`, one per line.
func hekaPyFilterSections(severity: Int, types: [String]) -> String {
    """
    [heka_filter_sev_max]
    provider = heka.filters.severity_max_provider
    severity = \(severity)
    [heka_filter_type_whitelist]
    provider = heka.filters.type_whitelist_provider
    types = \(types.joined(separator: "\n        "))

    """
}
