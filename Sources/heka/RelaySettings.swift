import ArgumentParser
import HekaClient
import HekaInputs
import HekaRaven
import HekaRelay

/// Everything `heka relay` is configured with: the defaults, then an INI section's
/// `key = value` lines (the flags' long names with underscores: `dsn`, `match`, `spool`,
/// `spool_limit`, `store`, `compress`, `max_in_flight`, `timeout`, `backoff`,
/// `max_backoff`, `stats_every`, `max_connections`, `idle_timeout`; and `stats_client`,
/// the name of a client section of the same file), then the flags.
struct RelaySettings {
    var dsn: SentryDSN?
    var match: String = EventConverter.defaultMatch
    var spool = "heka-relay.spool"
    var spoolLimitMiB = 1024
    var useStore = false
    var compress = true
    var maxInFlight = 8
    var timeout = 30.0
    var backoff = 1.0
    var maxBackoff = 60.0
    var statsEvery: Double?
    /// The heka.ini file and section of the client the counters are sent through as Heka
    /// messages.
    var statsClient: (path: String, section: String)?
    var limits = TcpListener.Limits()

    /// The keys an INI section may hold.
    static let iniKeys: Set<String> = [
        "dsn", "match", "spool", "spool_limit", "store", "compress", "max_in_flight", "timeout", "backoff",
        "max_backoff", "stats_every", "max_connections", "idle_timeout", "stats_client",
    ]

    /// Reads `section` of the INI file at `path`; an unknown key or a bad value names the
    /// file, line and key.
    mutating func read(iniFile path: String, section name: String) throws {
        let file = try INIFile(contentsOf: path)
        guard let section = file[section: name] else {
            throw ValidationError("\(path): there is no [\(name)] section")
        }
        for entry in section.entries {
            let place = "\(path), line \(entry.line), [\(name)] \(entry.key)"
            guard Self.iniKeys.contains(entry.key) else {
                throw ValidationError("\(place): unknown key; known keys: \(Self.iniKeys.sorted().joined(separator: ", "))")
            }
            if entry.key == "stats_client" {
                guard file[section: entry.text] != nil else {
                    throw ValidationError("\(place): there is no [\(entry.text)] section in \(path)")
                }
                statsClient = (path, entry.text)
            } else {
                try set(entry.key, entry.text, place: place)
            }
        }
    }

    /// Sets one setting from its text.
    private mutating func set(_ key: String, _ text: String, place: String) throws {
        func number(_ minimum: Double) throws -> Double {
            guard let value = Double(text), value >= minimum, value.isFinite else {
                throw ValidationError("\(place): expected a number of at least \(minimum), not \"\(text)\"")
            }
            return value
        }
        func flag() throws -> Bool {
            switch text.lowercased() {
            case "true", "yes", "on", "1": return true
            case "false", "no", "off", "0": return false
            default: throw ValidationError("\(place): expected true or false, not \"\(text)\"")
            }
        }
        switch key {
        case "dsn": dsn = try Self.dsn(text, place: place)
        case "match": match = text
        case "spool": spool = text
        case "spool_limit": spoolLimitMiB = Int(try number(1))
        case "store": useStore = try flag()
        case "compress": compress = try flag()
        case "max_in_flight": maxInFlight = Int(try number(1))
        case "timeout": timeout = try number(0.001)
        case "backoff": backoff = try number(0.001)
        case "max_backoff": maxBackoff = try number(0.001)
        case "stats_every": statsEvery = try number(0)
        case "max_connections": limits.maximumConnections = Int(try number(1))
        case "idle_timeout": limits.idleTimeout = .seconds(try number(0.001))
        default: break
        }
    }

    /// A DSN the relay can post to, or a usage error that does not repeat its secret.
    static func dsn(_ text: String, place: String) throws -> SentryDSN {
        do {
            let dsn = try SentryDSN(parsing: text)
            _ = try SentryDestination(dsn)
            return dsn
        } catch {
            throw ValidationError("\(place): \(error)")
        }
    }

    /// The flags given, over what the file said.
    mutating func apply(_ command: RelayCommand) throws {
        let flags: [(String, String?)] = [
            ("dsn", command.dsn), ("match", command.match), ("spool", command.spool),
            ("spool_limit", command.spoolLimit.map(String.init)), ("max_in_flight", command.maxInFlight.map(String.init)),
            ("timeout", command.timeout.map { "\($0)" }), ("backoff", command.backoff.map { "\($0)" }),
            ("max_backoff", command.maxBackoff.map { "\($0)" }), ("stats_every", command.statsEvery.map { "\($0)" }),
        ]
        for (key, value) in flags {
            if let value { try set(key, value, place: "--\(key.replacingOccurrences(of: "_", with: "-"))") }
        }
        if let path = command.statsClient { statsClient = (path, "heka") }
        if command.store { useStore = true }
        if command.noCompress { compress = false }
        limits = command.input.limits(over: limits)
        _ = try matcher()
        _ = try statsConfiguration()
    }

    /// The stats client's configuration, when there is one; a loading error names the file,
    /// line, section and key.
    func statsConfiguration() throws -> HekaConfiguration? {
        guard let statsClient else { return nil }
        var configuration = try HekaConfiguration(iniFile: statsClient.path, section: statsClient.section)
        if configuration.logger.isEmpty { configuration.logger = "heka-relay" }
        return configuration
    }

    /// The log-message matcher (`nil` for `FALSE`).
    func matcher() throws -> MessageMatcher? {
        do {
            return try MessageMatcher(match)
        } catch {
            throw ValidationError("match: \(error)")
        }
    }

    var transport: SentryTransport.Settings {
        var settings = SentryTransport.Settings()
        settings.useStoreEndpoint = useStore
        settings.compress = compress
        settings.timeout = .seconds(timeout)
        settings.client = "heka-swift/\(Heka.version)"
        return settings
    }

    func relay(exitWhenEmpty: Bool) -> Relay.Settings {
        var settings = Relay.Settings()
        settings.maximumInFlight = maxInFlight
        settings.backoff = .seconds(backoff)
        settings.maximumBackoff = .seconds(maxBackoff)
        settings.exitWhenEmpty = exitWhenEmpty
        return settings
    }

    /// The interval the counters are sent at through the stats client: --stats-every, or
    /// 10 seconds when that is 0 or not given.
    var statsClientInterval: Duration {
        guard let statsEvery, statsEvery > 0 else { return .seconds(10) }
        return .seconds(statsEvery)
    }
}
