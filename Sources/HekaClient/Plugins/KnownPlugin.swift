/// This project's own plugins, which live in modules that `HekaClient` cannot import: what a
/// configuration that names one needs, so that its error can say how to register it.
enum KnownPlugin: String, CaseIterable, Sendable {
    /// The raven plugin (`HekaRaven.RavenPlugin`).
    case raven

    /// The type's Swift name, `Module.Type`.
    var swiftName: String {
        switch self {
        case .raven: "HekaRaven.RavenPlugin"
        }
    }

    /// The module to import.
    var module: String {
        switch self {
        case .raven: "HekaRaven"
        }
    }

    /// The line of Swift that registers it in ``PluginRegistry/shared``.
    var registration: String {
        switch self {
        case .raven: "RavenPlugin.register()"
        }
    }

    /// The plugin that `text` names: its short name, its Swift name or one of heka-py's
    /// names from ``HekaPyNames/plugins``.
    init?(configured text: String) {
        let text = text.trimmingWhitespace
        guard let found = Self(rawValue: text) ?? Self.allCases.first(where: { $0.swiftName == text })
            ?? HekaPyNames.plugins.first(where: { $0.value.contains(text) })?.key
        else { return nil }
        self = found
    }
}
