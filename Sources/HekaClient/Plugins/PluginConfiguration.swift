/// A plugin to bind to a configured client: the plugin, the name it binds under and the
/// settings it was built from.
///
/// INI: a `[heka_plugin_LABEL]` section with `provider` (see ``PluginRegistry``), the
/// plugin's own keys, and `override`: `true` lets the plugin replace a name already in use;
/// any other text binds it under that name instead of its own. The label only tells
/// sections apart.
public struct PluginConfiguration: Sendable {
    /// The plugin.
    public var plugin: any HekaPlugin
    /// The name it binds under.
    public var name: String
    /// Whether it may replace a name already in use.
    public var override: Bool
    /// The provider as written, or the type's Swift name for a plugin built in code.
    public var provider: String
    /// The settings it was built from (printed, with secrets masked, by
    /// ``HekaConfiguration/iniText()``).
    public var arguments: ConfigurationSection

    /// A plugin built in code.
    public init(_ plugin: any HekaPlugin, name: String? = nil, override: Bool = false,
                arguments: ConfigurationSection? = nil) {
        self.plugin = plugin
        self.name = name ?? type(of: plugin).pluginName
        self.override = override
        self.provider = String(reflecting: type(of: plugin))
        self.arguments = arguments ?? ConfigurationSection(name: self.name)
    }
}

extension PluginConfiguration {
    /// Reads a plugin section: finds the provider in `registry`, checks the keys the plugin
    /// accepts and builds it.
    init(section: ConfigurationSection, registry: PluginRegistry) throws(ConfigurationError) {
        guard let provider = try section.string("provider") else {
            throw section.error(.missingKey, "a plugin section needs a provider", key: "provider")
        }
        guard let type = registry.plugin(named: provider) else {
            throw section.error(.unknownProvider, Self.unregistered(provider, registry: registry), key: "provider")
        }
        var name: String?
        var override = false
        if let flag = try? section.bool("override") {
            override = flag
        } else if let text = try section.string("override") {
            name = text
            override = true
        }
        var arguments = section
        arguments.remove("provider")
        arguments.remove("override")
        if let accepted = type.acceptedKeys {
            try arguments.rejectUnknownKeys(accepting: accepted, in: "the \(type.pluginName) plugin")
        }
        self.plugin = try type.init(arguments: arguments)
        self.name = name ?? type.pluginName
        self.override = override
        self.provider = provider
        self.arguments = arguments
    }

    /// Why `provider` names no plugin of `registry`, what the registry knows, and how to
    /// register another.
    static func unregistered(_ provider: String, registry: PluginRegistry) -> String {
        let message = "unknown plugin provider \"\(provider)\""
        guard let known = KnownPlugin(configured: provider) else {
            return message + "; \(registry.knownList); register its type with PluginRegistry.shared.register(_:)"
        }
        return message + "; it is \(known.swiftName), which this program has not registered: call "
            + "\(known.registration) (import \(known.module)) before loading the configuration"
    }
}
