/// Everything that makes a client: its defaults, stream, encoder, filters, plugins and HMAC
/// key, as one value.
///
/// Read it from heka-py's formats, which load unchanged: an INI file or text
/// (``init(iniFile:section:environment:registry:)``,
/// ``init(iniText:section:path:environment:registry:)``) or a configuration dictionary
/// (``init(dictionary:section:registry:)``). Or build it in code:
///
/// ```swift
/// var configuration = HekaConfiguration(logger: "shop", stream: .udp(host: "127.0.0.1", port: 5565))
/// configuration.filters = [.severityMax(.warning)]
/// let client = try HekaClient(configuration: configuration)
/// ```
///
/// ``iniText()`` is an INI text of the effective configuration, secrets masked, that loads
/// back; its ``description`` is a one-line summary without secrets.
public struct HekaConfiguration: Sendable, CustomStringConvertible {
    /// The default `logger` of messages. INI `logger`; default `""`.
    public var logger: String
    /// The default severity. INI `severity`, 0–7 or a name; default 6 (informational).
    public var severity: Severity
    /// The least severe messages sent: a message with a larger severity number is dropped
    /// (``HekaClient/severityThreshold``). INI `severity_threshold`, 0–7 or a name; default
    /// 7 (debug: all). Not heka-py's: there `severity` only sets the default, and a
    /// `severity_max` filter drops messages (it still works here).
    public var severityThreshold: Severity
    /// Timers that send nothing; `*` silences all. INI `disabled_timers`, one per line.
    public var disabledTimers: [String]
    /// Where records go. INI `stream_class` and `stream_*` (older heka-py's `sender_class`
    /// and `sender_*` too); default standard output.
    public var stream: StreamConfiguration
    /// How messages are encoded. INI `encoder`; default ``EncoderConfiguration/automatic``.
    public var encoder: EncoderConfiguration
    /// Applied in order. INI `[heka_filter_*]` sections, in file order.
    public var filters: [FilterConfiguration]
    /// Bound to the client. INI `[heka_plugin_*]` sections.
    public var plugins: [PluginConfiguration]
    /// Signs every record. INI `[heka_hmac]`: `signer`, `key_version`, `hash_function`,
    /// `key`. Needs the protobuf encoder.
    public var hmac: HMACSigner?
    /// The client section's name, used when printing. Default `heka`.
    public var section: String

    public init(
        logger: String = "", severity: Severity = .informational, severityThreshold: Severity = .debug,
        disabledTimers: [String] = [],
        stream: StreamConfiguration = .standardOutput, encoder: EncoderConfiguration = .automatic,
        filters: [FilterConfiguration] = [], plugins: [PluginConfiguration] = [], hmac: HMACSigner? = nil,
        section: String = "heka"
    ) {
        self.logger = logger
        self.severity = severity
        self.severityThreshold = severityThreshold
        self.disabledTimers = disabledTimers
        self.stream = stream
        self.encoder = encoder
        self.filters = filters
        self.plugins = plugins
        self.hmac = hmac
        self.section = section
    }

    /// The configuration heka-py's examples start from: standard output, nothing else.
    public static let `default` = HekaConfiguration()

    /// The keys a client section accepts (besides `stream_*`).
    static let clientKeys = ["logger", "severity", "severity_threshold", "disabled_timers", "encoder", "stream"]

    /// The keys an HMAC section accepts.
    static let hmacKeys = ["signer", "key_version", "hash_function", "key"]

    /// Reads the parts every source has in common. `client` holds the client keys, with
    /// the stream's either as `stream_*` keys or as a `stream` table.
    init(client: ConfigurationSection, filters: [ConfigurationSection], plugins: [ConfigurationSection],
         hmac: ConfigurationSection?, registry: PluginRegistry) throws(ConfigurationError) {
        let prefixes = HekaPyNames.streamKeyPrefixes
        if let unknown = client.entries.first(where: {
            !Self.clientKeys.contains($0.key) && !$0.key.hasPrefix(prefixes.current) && !$0.key.hasPrefix(prefixes.legacy)
        }) {
            throw client.error(.unknownKey, "not a client key (the client section takes "
                + Self.clientKeys.filter { $0 != "stream" }.joined(separator: ", ")
                + ", stream_class and stream_* keys)", key: unknown.key)
        }
        self.init(section: client.name)
        logger = try client.string("logger") ?? ""
        severity = try client.severity("severity") ?? .informational
        severityThreshold = try client.severity("severity_threshold") ?? .debug
        disabledTimers = try client.strings("disabled_timers") ?? []
        if let written = try client.string("encoder") {
            guard let kind = EncoderConfiguration.Kind(configured: written) else {
                throw client.error(.unknownProvider, "unknown encoder \"\(written)\"; known: "
                    + EncoderConfiguration.Kind.known, key: "encoder")
            }
            encoder = EncoderConfiguration(kind: kind)
        }
        stream = try StreamConfiguration(section: Self.streamSection(of: client))
        self.filters = try filters.map { (section) throws(ConfigurationError) in try FilterConfiguration(section: section) }
        if let hmac {
            self.hmac = try Self.signer(hmac)
            if encoder == .jsonLines {
                throw hmac.error(.invalidValue, "JSON lines cannot be signed; HMAC needs encoder = protobuf")
            }
        }
        var bound = PluginSet()
        for section in plugins {
            let plugin = try PluginConfiguration(section: section, registry: registry)
            try bound.bind(plugin.plugin, as: plugin.name, override: plugin.override, section: section)
            self.plugins.append(plugin)
        }
    }

    /// The stream's keys: a `stream` table, then `stream_*` keys (which win), without the
    /// prefix. Older heka-py's `sender_*` keys stand for the `stream_*` ones; a section that
    /// has both spellings is an error naming one key of each.
    private static func streamSection(of client: ConfigurationSection) throws(ConfigurationError) -> ConfigurationSection {
        let prefixes = HekaPyNames.streamKeyPrefixes
        var prefix = prefixes.current
        if let legacy = client.entries.first(where: { $0.key.hasPrefix(prefixes.legacy) }) {
            if let current = client.entries.first(where: { $0.key.hasPrefix(prefixes.current) || $0.key == "stream" }) {
                throw client.error(.unknownKey, "\(legacy.key) and \(current.key) both configure the stream: "
                    + "use \(prefixes.current)* keys (\(prefixes.legacy)* is older heka-py's spelling of them), not both",
                    key: legacy.key)
            }
            prefix = prefixes.legacy
        }
        var stream = try client.section("stream") ?? ConfigurationSection(name: client.name, file: client.file,
                                                                           line: client.line)
        for entry in client.entries where entry.key.hasPrefix(prefix) {
            stream.set(String(entry.key.dropFirst(prefix.count)), entry.value, text: entry.text, line: entry.line)
            stream.keyPrefix = prefix
        }
        return stream
    }

    /// The `[heka_hmac]` section's signer.
    private static func signer(_ section: ConfigurationSection) throws(ConfigurationError) -> HMACSigner {
        try section.rejectUnknownKeys(accepting: hmacKeys, in: "the HMAC section")
        guard let signer = try section.string("signer"), !signer.isEmpty else {
            throw section.error(.missingKey, "HMAC signing needs a signer name", key: "signer")
        }
        guard let version = try section.integer("key_version", in: 0...Int(UInt32.max)) else {
            throw section.error(.missingKey, "HMAC signing needs a key_version", key: "key_version")
        }
        guard let key = try section.string("key") else {
            throw section.error(.missingKey, "HMAC signing needs a key", key: "key")
        }
        var hash = HMACSigner.HashFunction.md5
        if let name = try section.string("hash_function") {
            guard let known = HMACSigner.HashFunction(name: name.trimmingWhitespace) else {
                throw section.error(.invalidValue, "\"\(name)\" is not a hash function hekad knows: MD5 or SHA1",
                                    key: "hash_function")
            }
            hash = known
        }
        do {
            return try HMACSigner(signer: signer, keyVersion: UInt32(version), hashFunction: hash, key: key)
        } catch {
            throw section.error(.invalidValue, error.message, key: "signer")
        }
    }
}
