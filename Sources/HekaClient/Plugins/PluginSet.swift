/// The plugins bound to a client, each under one name.
///
/// Names are unique, and a plugin may not take the name of one of the client's own methods
/// (heka-py's rule, which kept `client.exception` from being replaced by accident) unless it
/// is bound with `override`.
public struct PluginSet: Sendable {
    /// The client's own method names, heka-py's and this project's, which a plugin takes
    /// only with `override`.
    public static let reservedNames: Set<String> = [
        "heka", "send", "send_message", "message", "incr", "timer", "timer_send", "timerSend", "gauge", "debug",
        "info", "warn", "warning", "error", "exception", "critical", "flush", "close", "setup", "add_method",
        "plugin", "plugins", "statistics",
    ]

    private var bindings: [(name: String, plugin: any HekaPlugin)] = []

    /// No plugins.
    public init() {}

    /// Binds `plugin` under `name` (default: its ``HekaPlugin/pluginName``).
    /// - Parameters:
    ///   - plugin: the plugin, made from its settings.
    ///   - name: the name code reaches it by; `nil` for its ``HekaPlugin/pluginName``.
    ///   - override: lets it replace a plugin bound under that name, or take a reserved
    ///     name.
    /// - Throws: ``ConfigurationError/Code/nameClash`` when the name is taken and
    ///   `override` is false.
    public mutating func bind(_ plugin: any HekaPlugin, as name: String? = nil, override: Bool = false)
        throws(ConfigurationError)
    {
        try bind(plugin, as: name, override: override, section: nil)
    }

    /// ``bind(_:as:override:)``, with errors placed in `section`.
    mutating func bind(_ plugin: any HekaPlugin, as name: String?, override: Bool, section: ConfigurationSection?)
        throws(ConfigurationError)
    {
        let name = name ?? type(of: plugin).pluginName
        let existing = bindings.firstIndex { $0.name == name }
        if !override, existing != nil || Self.reservedNames.contains(name) {
            let taken = existing != nil ? "a plugin is already bound as \"\(name)\"" : "\"\(name)\" is a client method"
            let message = "\(taken); set override = true in this section to replace it"
            throw section?.error(.nameClash, message) ?? ConfigurationError(.nameClash, message)
        }
        if let existing {
            bindings[existing] = (name, plugin)
        } else {
            bindings.append((name, plugin))
        }
    }

    /// The plugin bound as `name`.
    public subscript(name: String) -> (any HekaPlugin)? { bindings.first { $0.name == name }?.plugin }

    /// The first bound plugin of type `type`.
    public func first<Plugin: HekaPlugin>(_ type: Plugin.Type) -> Plugin? {
        bindings.lazy.compactMap { $0.plugin as? Plugin }.first
    }

    /// The bound names, in binding order.
    public var names: [String] { bindings.map(\.name) }

    /// Whether nothing is bound.
    public var isEmpty: Bool { bindings.isEmpty }
}
