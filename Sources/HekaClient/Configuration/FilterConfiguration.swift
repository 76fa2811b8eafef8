/// One configured message filter.
///
/// INI: a `[heka_filter_NAME]` section with `provider` and the filter's keys; filters apply
/// in file order. Providers, by this project's name or heka-py's:
/// - `severity_max` (`heka.filters.severity_max_provider`): `severity`, 0–7 or a name.
/// - `type_blacklist` (`heka.filters.type_blacklist_provider`): `types`, one per line.
/// - `type_whitelist` (`heka.filters.type_whitelist_provider`): `types`, one per line.
/// - `type_severity_max` (`heka.filters.type_severity_max_provider`): `types`, in a
///   dictionary a table `{type: {"severity": N}}`, in INI one `type:severity` per line.
public struct FilterConfiguration: Sendable, Hashable, CustomStringConvertible {
    enum Kind: Sendable, Hashable {
        case severityMax(Severity)
        case typeBlacklist([String])
        case typeWhitelist([String])
        case typeSeverityMax([String: Severity])
    }

    let kind: Kind

    /// Sends messages at `maximum` or more severe.
    public static func severityMax(_ maximum: Severity) -> FilterConfiguration {
        FilterConfiguration(kind: .severityMax(maximum))
    }

    /// Drops messages of these types.
    public static func typeBlacklist(_ types: [String]) -> FilterConfiguration {
        FilterConfiguration(kind: .typeBlacklist(types))
    }

    /// Sends only messages of these types.
    public static func typeWhitelist(_ types: [String]) -> FilterConfiguration {
        FilterConfiguration(kind: .typeWhitelist(types))
    }

    /// Per type, sends messages at that type's maximum or more severe.
    public static func typeSeverityMax(_ maxima: [String: Severity]) -> FilterConfiguration {
        FilterConfiguration(kind: .typeSeverityMax(maxima))
    }

    /// The filter providers, by the name `provider` takes.
    enum Provider: String, ConfigurationChoice {
        case severityMax = "severity_max"
        case typeBlacklist = "type_blacklist"
        case typeWhitelist = "type_whitelist"
        case typeSeverityMax = "type_severity_max"

        static var hekaPyNames: [(choice: Provider, names: [String])] { HekaPyNames.filterProviders }
    }

    /// The filter itself.
    public func makeFilter() -> MessageFilter {
        switch kind {
        case .severityMax(let maximum): .severityMax(maximum)
        case .typeBlacklist(let types): .typeBlacklist(Set(types))
        case .typeWhitelist(let types): .typeWhitelist(Set(types))
        case .typeSeverityMax(let maxima): .typeSeverityMax(maxima)
        }
    }

    /// The provider's short name.
    public var provider: String {
        let provider: Provider =
            switch kind {
            case .severityMax: .severityMax
            case .typeBlacklist: .typeBlacklist
            case .typeWhitelist: .typeWhitelist
            case .typeSeverityMax: .typeSeverityMax
            }
        return provider.rawValue
    }

    /// The keys as an INI section gives them (without `provider`).
    var settings: [(key: String, value: String)] {
        switch kind {
        case .severityMax(let maximum): [("severity", String(maximum.rawValue))]
        case .typeBlacklist(let types), .typeWhitelist(let types): [("types", types.joined(separator: "\n"))]
        case .typeSeverityMax(let maxima):
            [("types", maxima.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value.rawValue)" }.joined(separator: "\n"))]
        }
    }

    public var description: String { makeFilter().description }
}

extension FilterConfiguration {
    /// Reads a filter section: `provider` names the filter, the other keys are its settings.
    init(section: ConfigurationSection) throws(ConfigurationError) {
        guard let written = try section.string("provider") else {
            throw section.error(.missingKey, "a filter section needs a provider", key: "provider")
        }
        guard let provider = Provider(configured: written) else {
            throw section.error(.unknownProvider, "unknown filter provider \"\(written)\"; known: " + Provider.known,
                                key: "provider")
        }
        switch provider {
        case .severityMax:
            try section.rejectUnknownKeys(accepting: ["provider", "severity"], in: "the severity_max filter")
            guard let severity = try section.severity("severity") else {
                throw section.error(.missingKey, "severity_max needs a severity", key: "severity")
            }
            self = .severityMax(severity)
        case .typeBlacklist, .typeWhitelist:
            try section.rejectUnknownKeys(accepting: ["provider", "types"], in: "the \(provider.rawValue) filter")
            guard let types = try section.strings("types") else {
                throw section.error(.missingKey, "\(provider.rawValue) needs types", key: "types")
            }
            self = provider == .typeBlacklist ? .typeBlacklist(types) : .typeWhitelist(types)
        case .typeSeverityMax:
            try section.rejectUnknownKeys(accepting: ["provider", "types"], in: "the type_severity_max filter")
            self = .typeSeverityMax(try Self.severityMaxima(section))
        }
    }

    /// `types` as a table `{type: {severity: N}}` or `{type: N}`, or as `type:severity` lines.
    private static func severityMaxima(_ section: ConfigurationSection) throws(ConfigurationError) -> [String: Severity] {
        guard let value = section["types"] else {
            throw section.error(.missingKey, "type_severity_max needs types", key: "types")
        }
        var maxima: [String: Severity] = [:]
        if case .table(let entries) = value, let table = try section.section("types") {
            for (type, inner) in entries {
                if case .table = inner, let nested = try table.section(type) {
                    try nested.rejectUnknownKeys(accepting: ["severity"], in: "a type_severity_max entry")
                    guard let severity = try nested.severity("severity") else {
                        throw nested.error(.missingKey, "needs a severity", key: "severity")
                    }
                    maxima[type] = severity
                } else {
                    maxima[type] = try table.severity(type)
                }
            }
            return maxima
        }
        for line in try section.strings("types") ?? [] {
            let parts = line.split(separator: ":", maxSplits: 1).map(\.trimmingWhitespace)
            guard parts.count == 2, !parts[0].isEmpty, let severity = Severity(parts[1]) else {
                throw section.error(.invalidValue, "expected one \"type:severity\" (0–7 or a level name) per line, "
                    + "found \"\(line)\"", key: "types")
            }
            maxima[parts[0]] = severity
        }
        return maxima
    }
}
