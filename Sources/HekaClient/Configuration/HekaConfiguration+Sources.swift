import Foundation

extension HekaConfiguration {
    /// Reads heka-py's INI form from a file.
    ///
    /// - Parameters:
    ///   - path: the file.
    ///   - section: the client section; `[<section>_filter_*]`, `[<section>_plugin_*]` and
    ///     `[<section>_hmac]` belong to it. Default `heka`.
    ///   - environment: what `${VAR}` reads. Default: the process's environment.
    ///   - registry: the plugin types that `provider` keys may name; default
    ///     ``PluginRegistry/shared``, where `RavenPlugin.register()` puts the raven plugin.
    /// - Throws: ``ConfigurationError`` naming the file, line, section and key.
    public init(iniFile path: String, section: String = "heka",
                environment: [String: String] = ProcessInfo.processInfo.environment,
                registry: PluginRegistry = .shared) throws(ConfigurationError) {
        try self.init(ini: INIFile(contentsOf: path, environment: environment), section: section, registry: registry)
    }

    /// Reads heka-py's INI form from text (common indentation is removed first, as heka-py
    /// does); `path` only names it in errors.
    public init(iniText text: String, section: String = "heka", path: String? = nil,
                environment: [String: String] = ProcessInfo.processInfo.environment,
                registry: PluginRegistry = .shared) throws(ConfigurationError) {
        try self.init(ini: INIFile(text: text, path: path, environment: environment), section: section,
                      registry: registry)
    }

    /// Reads a parsed INI file, as heka-py's `client_from_stream_config` does: the client
    /// keys from `[section]`, filters from the sections whose names start with
    /// `<section>_filter` (in file order), plugins from those starting with
    /// `<section>_plugin`, and the HMAC key from `[<section>_hmac]`. Other sections are
    /// ignored, and so are their ``INIFile/Section/errors``; the first error of a section
    /// read is thrown. Keys inherited from `[DEFAULT]` that the client or HMAC section does
    /// not take are ignored there, as heka-py ignores them; filters and plugins receive them.
    public init(ini: INIFile, section: String = "heka", registry: PluginRegistry = .shared) throws(ConfigurationError) {
        guard let client = ini[section: section] else {
            let known = ini.sections.map { "[\($0.name)]" }.joined(separator: ", ")
            throw ConfigurationError(.missingSection, "no [\(section)] section"
                + (known.isEmpty ? "" : " (the file has \(known))"), file: ini.path, section: section)
        }
        let convert = { (section: INIFile.Section, takes: ((String) -> Bool)?) throws(ConfigurationError) in
            if let error = section.errors.first { throw error }
            var converted = ConfigurationSection(name: section.name, file: ini.path, line: section.line)
            for entry in section.entries where !entry.inherited || takes?(entry.key) ?? true {
                converted.set(entry.key, entry.value, text: entry.text, line: entry.line)
            }
            return converted
        }
        let prefixes = HekaPyNames.streamKeyPrefixes
        let clientTakes = { (key: String) in
            Self.clientKeys.contains(key) || key.hasPrefix(prefixes.current) || key.hasPrefix(prefixes.legacy)
        }
        var filters: [ConfigurationSection] = []
        var plugins: [ConfigurationSection] = []
        for candidate in ini.sections {
            if candidate.name.hasPrefix("\(section)_filter") { filters.append(try convert(candidate, nil)) }
            if candidate.name.hasPrefix("\(section)_plugin") { plugins.append(try convert(candidate, nil)) }
        }
        try self.init(
            client: convert(client, clientTakes), filters: filters, plugins: plugins,
            hmac: ini[section: "\(section)_hmac"].map { (hmac) throws(ConfigurationError) in
                try convert(hmac, { Self.hmacKeys.contains($0) })
            }, registry: registry)
    }

    /// Reads heka-py's dictionary form:
    ///
    /// ```swift
    /// try HekaConfiguration(dictionary: [
    ///     "logger": "myapp", "severity": 4, "disabled_timers": ["foo", "bar"],
    ///     "stream": ["class": "heka.streams.UdpStream", "host": "localhost", "port": 5565],
    ///     "filters": [("heka.filters.severity_max_provider", ["severity": 4])],
    ///     "plugins": ["dummy": ("heka.tests.plugin:config_plugin", ["port": 8080])],
    ///     "hmac": ["signer": "ops", "key_version": 2, "hash_function": "SHA1", "key": "secret"],
    /// ])
    /// ```
    ///
    /// Provider/arguments pairs may be tuples or two-element arrays; flat `stream_*` keys
    /// are accepted too and win over the `stream` table. `section` names the configuration
    /// in errors (and when printed). The dictionary is not changed, so loading it twice
    /// gives the same configuration.
    public init(dictionary: [String: Any], section: String = "heka", registry: PluginRegistry = .shared)
        throws(ConfigurationError)
    {
        var client = ConfigurationSection(name: section)
        for key in dictionary.keys.sorted() {
            guard let value = ConfigurationValue(any: dictionary[key]!) else {
                throw ConfigurationError(.invalidValue, "a value of type \(type(of: dictionary[key]!)) is not "
                    + "configuration (text, numbers, booleans, arrays, tuples, dictionaries)", section: section, key: key)
            }
            client.set(key, value)
        }
        var filters: [ConfigurationSection] = []
        if let entry = client.remove("filters") {
            for (index, pair) in entry.value.listItems.enumerated() {
                filters.append(try Self.providerSection(pair, section: section, label: "filters[\(index)]"))
            }
        }
        var plugins: [ConfigurationSection] = []
        if let entry = client.remove("plugins") {
            guard case .table(let named) = entry.value else {
                throw client.error(.invalidValue, "expected a dictionary of name: (provider, arguments)", key: "plugins")
            }
            for (name, pair) in named {
                plugins.append(try Self.providerSection(pair, section: section, label: "plugins.\(name)"))
            }
        }
        var hmac: ConfigurationSection?
        if let table = try client.section("hmac"), !table.entries.isEmpty {
            hmac = table
        }
        client.remove("hmac")
        try self.init(client: client, filters: filters, plugins: plugins, hmac: hmac, registry: registry)
    }

    /// A `(provider, {arguments})` pair as a section holding `provider` and the arguments,
    /// whose keys errors name as `label.key`.
    private static func providerSection(_ pair: ConfigurationValue, section: String, label: String)
        throws(ConfigurationError) -> ConfigurationSection
    {
        var result = ConfigurationSection(name: section)
        result.keyPrefix = label + "."
        let items = pair.listItems
        guard items.count == 2, case .string(let provider) = items[0], case .table(let arguments) = items[1] else {
            throw ConfigurationError(.invalidValue, "expected a (provider, arguments) pair", section: section, key: label)
        }
        result.set("provider", .string(provider))
        for (key, value) in arguments { result.set(key, value) }
        return result
    }
}
