import HekaClient

/// Raven 3.x's event keys in today's form. Sentry still reads the `sentry.interfaces.*`
/// aliases, but an event that has both an alias and its modern key (as the raven plugin
/// writes them) must not carry the same interface twice, and numeric levels are Python's.
enum LegacyUpgrade {
    /// The aliases and the keys they stand for.
    static let aliases: [String: String] = [
        "sentry.interfaces.Exception": "exception",
        "sentry.interfaces.Stacktrace": "stacktrace",
        "sentry.interfaces.Message": "logentry",
        "sentry.interfaces.Http": "request",
        "sentry.interfaces.User": "user",
        "sentry.interfaces.Template": "template",
        "sentry.interfaces.Breadcrumbs": "breadcrumbs",
        "sentry.interfaces.Contexts": "contexts",
        "sentry.interfaces.DebugMeta": "debug_meta",
    ]

    /// Python logging's levels, as raven 3.x sends them.
    static let levels = ["10": "debug", "20": "info", "30": "warning", "40": "error", "50": "fatal"]

    /// Whether ``upgrade(_:)`` would change `event`: an alias, a numeric level, an
    /// exception not in the bare `values` form, or a top-level stack trace to move into it.
    static func isNeeded(_ event: JSONValue) -> Bool {
        guard case .object(let members) = event else { return false }
        var exception: JSONValue?
        var hasStacktrace = false
        for (key, value) in members {
            if aliases[key] != nil { return true }
            switch key {
            case "level": if levels[value.scalarText ?? ""] != nil { return true }
            case "exception": exception = exception ?? value
            case "stacktrace": hasStacktrace = true
            default: break
            }
        }
        guard let exception else { return false }
        guard case .object(let parts) = exception, parts.count == 1, parts[0].0 == "values",
            case .array(let values) = parts[0].1
        else { return true }
        return hasStacktrace && values.last.map { $0["stacktrace"] == nil } == true
    }

    /// `event` with every alias renamed (dropped when the modern key is there too), the
    /// exception in the `values` form with the top-level stack trace moved into its last
    /// value, and a numeric level named.
    static func upgrade(_ event: JSONValue) -> JSONValue {
        guard case .object(let members) = event else { return event }
        let present = Set(members.map(\.0))
        var upgraded: [(String, JSONValue)] = []
        for (key, value) in members {
            guard let modern = aliases[key] else {
                upgraded.append((key, key == "level" ? levels[value.scalarText ?? ""].map(JSONValue.string) ?? value : value))
                continue
            }
            if !present.contains(modern) { upgraded.append((modern, value)) }
        }
        var result = JSONValue.object(upgraded)
        if let exception = result["exception"] {
            var values: [JSONValue]
            switch exception {
            case .array(let list): values = list
            case .object where exception["values"] != nil:
                if case .array(let list)? = exception["values"] { values = list } else { values = [] }
            default: values = [exception]
            }
            if let stacktrace = result["stacktrace"], let last = values.last, last["stacktrace"] == nil {
                values[values.count - 1] = last.setting("stacktrace", to: stacktrace)
                result = result.removing("stacktrace")
            }
            result = result.setting("exception", to: .object([("values", .array(values))]))
        }
        return result
    }
}

extension JSONValue {
    /// The object without its `key` members.
    func removing(_ key: String) -> JSONValue {
        guard case .object(let members) = self else { return self }
        return .object(members.filter { $0.0 != key })
    }
}
