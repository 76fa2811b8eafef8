extension HekaClient {
    /// The plugin bound as `name` (heka-py's `client.<name>`).
    public func plugin(named name: String) -> (any HekaPlugin)? { plugins[name] }

    /// The first bound plugin of type `type`.
    public func plugin<Plugin: HekaPlugin>(_ type: Plugin.Type) -> Plugin? { plugins.first(type) }
}
