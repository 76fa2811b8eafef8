import HekaPlatform

/// The plugin types a configuration can name by `provider`: only those registered.
///
/// A program registers the plugins its configuration files may name, once, before it loads
/// them, as swift-log and swift-metrics programs bootstrap their backends:
///
/// ```swift
/// import HekaRaven
///
/// RavenPlugin.register()                          // the raven plugin, under all its names
/// PluginRegistry.shared.register(AuditPlugin.self) // a plugin of your own
/// let configuration = try HekaConfiguration(iniFile: "heka.ini")
/// ```
///
/// A registered type answers to its ``HekaPlugin/pluginName``, its Swift name
/// `Module.Type` and its ``HekaPlugin/providerNames``. heka-py's names of this project's own
/// plugins (`heka_raven.raven_plugin:config_plugin` for the raven plugin) answer for the
/// project's type once it is registered. A provider that no registered type answers to is a
/// ``ConfigurationError/Code/unknownProvider`` naming the file, line, section and key, and,
/// for a plugin of this project, the line of Swift that registers it.
///
/// The loaders use ``shared`` unless given another registry, which suits tests and programs
/// that keep several configurations apart:
///
/// ```swift
/// let configuration = try HekaConfiguration(iniFile: "heka.ini", registry: PluginRegistry([RavenPlugin.self]))
/// ```
public final class PluginRegistry: Sendable {
    /// The registry configurations use unless told otherwise.
    public static let shared = PluginRegistry()

    private let types = LockedValue<[any HekaPlugin.Type]>([])

    /// An empty registry (``shared`` is the one configurations use by default).
    public init() {}

    /// A registry holding `types`, as ``register(_:)`` leaves it.
    public convenience init(_ types: [any HekaPlugin.Type]) {
        self.init()
        for type in types { register(type) }
    }

    /// Makes `type` available to configurations under its names. Registering a type again
    /// changes nothing.
    public func register(_ type: any HekaPlugin.Type) {
        types.withLock { types in
            if !types.contains(where: { ObjectIdentifier($0) == ObjectIdentifier(type) }) { types.append(type) }
        }
    }

    /// The registered types, in registration order.
    public var registered: [any HekaPlugin.Type] { types.withLock { $0 } }

    /// The registered plugin type `provider` names, or `nil`. A name of this project's own
    /// plugin (heka-py's, or its Swift name) finds that plugin's type when it is registered.
    public func plugin(named provider: String) -> (any HekaPlugin.Type)? {
        let provider = provider.trimmingWhitespace
        let registered = registered
        if let found = registered.first(where: { Self.names(of: $0).contains(provider) }) { return found }
        guard let known = KnownPlugin(configured: provider) else { return nil }
        return registered.first { String(reflecting: $0) == known.swiftName }
    }

    /// The registered types for an error to list: each one's plugin name with its heka-py
    /// name or its first provider name in parentheses (`raven
    /// (heka_raven.raven_plugin:config_plugin)`), or that none is registered.
    var knownList: String {
        let names = registered.map { type in
            let swiftName = String(reflecting: type)
            let alias = KnownPlugin.allCases.first { $0.swiftName == swiftName }.flatMap { HekaPyNames.plugins[$0]?.first }
                ?? type.providerNames.first
            return type.pluginName + (alias.map { " (\($0))" } ?? "")
        }
        return names.isEmpty ? "no plugin is registered" : "known: " + names.joined(separator: ", ")
    }

    /// Every name `type` answers to by itself.
    static func names(of type: any HekaPlugin.Type) -> [String] {
        [type.pluginName, String(reflecting: type)] + type.providerNames
    }
}
