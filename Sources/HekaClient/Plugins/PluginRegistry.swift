import Synchronization

/// The plugin types a configuration can name by `provider`.
///
/// A provider name is looked up among the registered types (their ``HekaPlugin/pluginName``,
/// ``HekaPlugin/providerNames`` and Swift name `Module.Type`), then among the project's own
/// plugins by their heka-py names (`heka_raven.raven_plugin:config_plugin` is the raven
/// plugin of the `HekaRaven` module), then as a Swift type name `Module.Type` of any plugin
/// linked into the program. So a program that links `HekaRaven` loads heka-py files naming
/// the raven plugin without registering anything, and a plugin type of your own can be
/// named by its Swift name or registered under other names.
public final class PluginRegistry: Sendable {
    /// The registry configurations use unless told otherwise.
    public static let shared = PluginRegistry()

    private let types = Mutex<[any HekaPlugin.Type]>([])

    /// heka-py's names of this project's own plugins, and the Swift types that answer them.
    static let wellKnown: [String: String] = [
        "heka_raven.raven_plugin:config_plugin": "HekaRaven.RavenPlugin",
        "heka_raven.raven_plugin.config_plugin": "HekaRaven.RavenPlugin",
        "raven": "HekaRaven.RavenPlugin",
    ]

    /// An empty registry (``shared`` is the one configurations use by default).
    public init() {}

    /// Makes `type` available to configurations under its names. Registering a type again
    /// changes nothing.
    public func register(_ type: any HekaPlugin.Type) {
        types.withLock { types in
            if !types.contains(where: { ObjectIdentifier($0) == ObjectIdentifier(type) }) { types.append(type) }
        }
    }

    /// The registered types, in registration order.
    public var registered: [any HekaPlugin.Type] { types.withLock { $0 } }

    /// The plugin type `provider` names, or `nil`.
    public func plugin(named provider: String) -> (any HekaPlugin.Type)? {
        let provider = provider.trimmingWhitespace
        if let found = registered.first(where: { Self.names(of: $0).contains(provider) }) { return found }
        guard let type = Self.linkedType(named: Self.wellKnown[provider] ?? provider) else { return nil }
        register(type)
        return type
    }

    /// Every name `type` answers to.
    static func names(of type: any HekaPlugin.Type) -> [String] {
        [type.pluginName, String(reflecting: type)] + type.providerNames
    }

    /// A plugin type linked into the program, by its Swift name `Module.Type` (or
    /// `Module.Outer.Type`), found in the runtime's type metadata.
    static func linkedType(named name: String) -> (any HekaPlugin.Type)? {
        let parts = name.split(separator: ".")
        guard parts.count >= 2, parts.count <= 4,
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") } })
        else { return nil }
        let module = "\(parts[0].utf8.count)\(parts[0])"
        // Each named type is a struct (V), class (C) or enum (O); try every combination.
        var candidates = [module]
        for part in parts.dropFirst() {
            candidates = candidates.flatMap { prefix in ["V", "C", "O"].map { prefix + "\(part.utf8.count)\(part)" + $0 } }
        }
        for mangled in candidates {
            if let type = _typeByName(mangled) as? any HekaPlugin.Type { return type }
        }
        return nil
    }
}
