import HekaClient
import HekaPlatform

/// The raven plugin's settings: what `client.raven(…)` and the capture wrappers send.
///
/// Bound as `raven`. INI: a `[heka_plugin_raven]` section with
/// `provider = heka_raven.raven_plugin:config_plugin` (heka-py-raven's name; the older
/// `metlog_raven.raven_plugin:config_plugin` and `heka.raven_plugin:config_plugin` too),
/// `provider = raven` or `provider = HekaRaven.RavenPlugin`. A configuration finds it once
/// it is registered: call ``register(in:)`` (`RavenPlugin.register()`) before loading one.
/// Every key is optional; any other key is an error.
///
/// The `dsn` may be left out, empty or incomplete, as in heka-py-raven's `dsn = udp://`: a
/// relay in front of Sentry sends to a DSN of its own. A DSN missing its key, host or
/// project id is read as none, with a one-line warning on standard error for each section
/// read (see ``dsn``); only a malformed DSN is a configuration error.
public struct RavenPlugin: HekaPlugin, Hashable {
    /// `raven`: the name the plugin binds under.
    public static let pluginName = "raven"
    /// The keys a raven plugin section accepts besides `provider` and `override`.
    public static let acceptedKeys: [String]? = [
        "dsn", "logger", "severity", "type", "include_paths", "exclude_paths", "context_lines", "string_max_length",
        "list_max_length", "sanitize", "release", "environment", "server_name", "tags", "sentry_project_id",
        "crash_reports",
    ]

    /// Where Sentry is (`dsn`); sent in the `dsn` field and read for the event's project.
    ///
    /// A relay in front of Sentry has a DSN of its own, so the plugin does not need one: an
    /// empty `dsn`, or one with a part left out (`udp://`, `https://key@host` without the
    /// project id, a DSN without its key or host), is read as none, with a warning on
    /// standard error each time such a section is read (once per plugin built from it), and
    /// events are sent without a `dsn` field. A malformed DSN (no `scheme://`, a scheme
    /// other than https, http or udp, spaces, a bad port) is a configuration error.
    public var dsn: SentryDSN?
    /// The messages' logger (`logger`); `nil` uses the client's.
    public var logger: String?
    /// The messages' severity (`severity`); default 3.
    public var severity: Severity
    /// The messages' type (`type`); default `stacktrace`. `sentry` suits hekad matchers
    /// written for heka-py-raven.
    public var messageType: String
    /// Path prefixes of in-app frames (`include_paths`); empty: every frame whose file is
    /// not excluded.
    public var includePaths: [String]
    /// Path prefixes of frames that are not in-app (`exclude_paths`).
    public var excludePaths: [String]
    /// Source lines read around each frame's line (`context_lines`); default 5.
    public var contextLines: Int
    /// Longest string kept in the event (`string_max_length`); default 400.
    public var stringMaxLength: Int
    /// Longest list kept in the event (`list_max_length`); default 50.
    public var listMaxLength: Int
    /// Whether passwords, secrets and card numbers are masked (`sanitize`); default on.
    public var sanitize: Bool
    /// The release the event names (`release`).
    public var release: String?
    /// The environment the event names (`environment`).
    public var environment: String?
    /// The host name the event names (`server_name`); default the machine's.
    public var serverName: String?
    /// Tags added to every event (`tags`: one `name:value` per line, or a table).
    public var tags: [String: String]
    /// The directory Swift's backtracer writes crash reports into (`crash_reports`); default
    /// none. When set, a client bound to the plugin sends the reports waiting there as fatal
    /// events when it is made, in the background, and removes each once it is delivered
    /// (`HekaClient.sendCrashReports(in:timeout:)`). The program must run with
    /// `SWIFT_BACKTRACE=enable=yes,format=json,interactive=no,output-to=` this directory, or
    /// under `heka run`, which sets it.
    public var crashReports: String?

    /// Makes the raven plugin available to configurations that `registry` serves (default:
    /// `PluginRegistry/shared`, which the loaders use), under all its names. Calling it
    /// again changes nothing.
    public static func register(in registry: PluginRegistry = .shared) {
        registry.register(RavenPlugin.self)
    }

    /// Where ``init(arguments:)`` reports an incomplete DSN: `heka: <line>` on standard error
    /// (tests bind their own).
    @TaskLocal static var warn: @Sendable (String) -> Void = { StandardErrorLines(interval: .zero).write($0) }

    /// The settings, each defaulting as documented.
    public init(
        dsn: SentryDSN? = nil, logger: String? = nil, severity: Severity = .error, messageType: String = "stacktrace",
        includePaths: [String] = [], excludePaths: [String] = [], contextLines: Int = 5, stringMaxLength: Int = 400,
        listMaxLength: Int = 50, sanitize: Bool = true, release: String? = nil, environment: String? = nil,
        serverName: String? = nil, tags: [String: String] = [:], crashReports: String? = nil
    ) {
        self.dsn = dsn
        self.logger = logger
        self.severity = severity
        self.messageType = messageType
        self.includePaths = includePaths
        self.excludePaths = excludePaths
        self.contextLines = contextLines
        self.stringMaxLength = stringMaxLength
        self.listMaxLength = listMaxLength
        self.sanitize = sanitize
        self.release = release
        self.environment = environment
        self.serverName = serverName
        self.tags = tags
        self.crashReports = crashReports
    }

    /// The settings of a `[heka_plugin_raven]` section (or a dictionary's plugin entry).
    public init(arguments: ConfigurationSection) throws(ConfigurationError) {
        self.init()
        if let text = try arguments.string("dsn") {
            do {
                dsn = try SentryDSN(parsing: text)
            } catch where error.isIncomplete || text.trimmingWhitespace.isEmpty {
                let reason = text.trimmingWhitespace.isEmpty ? "it is empty" : "\(error)"
                Self.warn(arguments.error(.invalidValue, "not a complete Sentry DSN (\(reason)); events are sent "
                    + "without a dsn field, for a relay to send them to its own DSN", key: "dsn").description)
            } catch {
                throw arguments.error(.invalidValue, "not a Sentry DSN: \(error)", key: "dsn")
            }
        }
        logger = try arguments.string("logger")
        severity = try arguments.severity("severity") ?? .error
        messageType = try arguments.string("type") ?? "stacktrace"
        guard !messageType.isEmpty else { throw arguments.error(.invalidValue, "the type is empty", key: "type") }
        includePaths = try arguments.strings("include_paths") ?? []
        excludePaths = try arguments.strings("exclude_paths") ?? []
        contextLines = try arguments.integer("context_lines", in: 0...100) ?? 5
        stringMaxLength = try arguments.integer("string_max_length", in: 16...Int(Int32.max)) ?? 400
        listMaxLength = try arguments.integer("list_max_length", in: 1...Int(Int32.max)) ?? 50
        sanitize = try arguments.bool("sanitize") ?? true
        release = try arguments.string("release")
        environment = try arguments.string("environment")
        serverName = try arguments.string("server_name")
        tags = try Self.tags(arguments)
        crashReports = try arguments.string("crash_reports")
        if crashReports?.isEmpty == true {
            throw arguments.error(.invalidValue, "the directory is empty", key: "crash_reports")
        }
    }

    /// Sends the crash reports waiting in ``crashReports``, if set, in the background.
    public func started(with client: HekaClient) {
        if crashReports != nil { CrashReportStartup.start(for: client) }
    }

    /// `tags` as `name:value` lines, or a dictionary's table.
    private static func tags(_ arguments: ConfigurationSection) throws(ConfigurationError) -> [String: String] {
        if case .table(let entries)? = arguments["tags"] {
            return Dictionary(entries.map { ($0.key, $0.value.description) }, uniquingKeysWith: { $1 })
        }
        var tags: [String: String] = [:]
        for line in try arguments.strings("tags") ?? [] {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, !parts[0].isEmpty else {
                throw arguments.error(.invalidValue, "expected one \"name:value\" per line, found \"\(line)\"", key: "tags")
            }
            tags[parts[0].trimmingWhitespace] = parts[1].trimmingWhitespace
        }
        return tags
    }
}
