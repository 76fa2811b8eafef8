/// An extension bound to a client by configuration: heka-py's plugins.
///
/// A `[heka_plugin_LABEL]` INI section (or a dictionary's `plugins` entry) names a plugin by
/// its `provider` and gives its settings; the plugin's type must be registered in the
/// ``PluginRegistry`` the configuration is loaded with (``PluginRegistry/shared`` by default)
/// before it is loaded. The plugin is built from those settings and bound
/// to the client under ``pluginName`` (or the name its section's `override` gives), where
/// code finds it with ``HekaClient/plugin(_:)`` or ``HekaClient/plugin(named:)``.
///
/// ```swift
/// struct AuditPlugin: HekaPlugin {
///     static let pluginName = "audit"
///     static let providerNames = ["myapp.plugins:audit"]
///     static let acceptedKeys: [String]? = ["channel"]
///     let channel: String
///     init(arguments: ConfigurationSection) throws(ConfigurationError) {
///         channel = try arguments.string("channel") ?? "audit"
///     }
/// }
/// PluginRegistry.shared.register(AuditPlugin.self)
/// ```
///
/// A plugin holds settings, not the client: its methods take the client they act through,
/// and are usually offered as an extension of ``HekaClient``.
public protocol HekaPlugin: Sendable {
    /// The name the plugin binds under unless its section overrides it (heka-py's
    /// `heka_name`): `raven` for the raven plugin.
    static var pluginName: String { get }
    /// Names that a `provider` key may use for this plugin, such as heka-py's Python name.
    /// The Swift name `Module.Type` and ``pluginName`` are always accepted. A configuration
    /// finds the plugin by any of them once its type is registered (``PluginRegistry``).
    /// Default: none.
    static var providerNames: [String] { get }
    /// The keys the plugin's section accepts besides `provider` and `override`; any other
    /// is a configuration error. `nil` (the default) accepts any key.
    static var acceptedKeys: [String]? { get }
    /// Builds the plugin from its section's keys (without `provider` and `override`).
    /// Errors should come from ``ConfigurationSection/error(_:_:key:)`` or the section's
    /// typed accessors, so that they name the file, line, section and key.
    init(arguments: ConfigurationSection) throws(ConfigurationError)
    /// Called when a client bound to the plugin is made, at the end of its initialiser: a
    /// plugin with work to do at start-up starts it here, in the background, and returns at
    /// once (the raven plugin sends the crash reports waiting from an earlier run). Default:
    /// nothing.
    func started(with client: HekaClient)
}

extension HekaPlugin {
    public static var providerNames: [String] { [] }
    public static var acceptedKeys: [String]? { nil }
    public func started(with client: HekaClient) {}
}
