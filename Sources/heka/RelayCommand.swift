import ArgumentParser
import HekaClient
import HekaInputs
import HekaRaven
import HekaRelay

/// `heka relay`: Heka messages in, Sentry events out over HTTP, spooled on disk until
/// Sentry accepts them.
struct RelayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "relay",
        abstract: "Forward stack traces and error logs from Heka messages to Sentry over HTTP, losing nothing.",
        discussion: """
            Reads Heka messages from a file, stdin, a UDP or a TCP listener (the inputs of \
            `heka cat`), and sends to Sentry: every stacktrace-type (and heka-py-raven's \
            sentry-type) message's packed event, as it is; and every log message --match \
            selects (default: severity 3 or worse, not a stack trace) as a message event.

            Each event goes to the DSN in the message's `dsn` field, else to --dsn. It is \
            written to the spool (a SQLite file) before it is sent, and leaves the spool \
            only when Sentry answered it: 2xx, or a final 4xx (counted and reported with \
            Sentry's answer). A 429 holds back that DSN's events until the limit passes \
            (Retry-After, X-Sentry-Rate-Limits); 5xx, timeouts and refused connections are \
            tried again, waiting twice as long each time up to --max-backoff. Ctrl-C or \
            SIGTERM stops reading, waits for the requests in flight, and exits; the next \
            run on the same spool sends what is left.

            A message that cannot be sent (no DSN, a payload that is not a packed event, a \
            full spool) is counted as dropped and reported on standard error.

            With a FILE (not --follow), or with no input at all, the relay exits once the \
            spool is empty. --stats-every prints a summary line every so many seconds \
            (default: every 10 on a terminal). The same counts are swift-metrics counters \
            (heka_relay_received, …_forwarded, …_rate_limited, …_retried, …_rejected, \
            …_dropped, …_skipped, …_problems) and a heka_relay_spooled gauge; with \
            --stats-client they are sent as Heka counter and gauge messages through that \
            client, summed over --stats-every seconds (default 10).

            Settings may come from an INI file's [heka_relay] section (--config); flags \
            override them.

            Examples:
              heka relay --tcp 127.0.0.1:5565 --dsn https://KEY@sentry.example.com/42
              heka relay --udp 0.0.0.0:5565 --spool /var/lib/heka/relay.spool
              heka relay app.heka --match "Severity <= 4" --dsn https://KEY@sentry.example.com/42
              heka relay --config relay.ini
            """
    )

    @OptionGroup var input: InputOptions

    @Option(help: ArgumentHelp("The DSN of messages without a dsn field.", valueName: "dsn"))
    var dsn: String?

    @Option(help: ArgumentHelp("Which log messages become message events (hekad's message_matcher syntax; FALSE for none).",
                               valueName: "expression"))
    var match: String?

    @Option(help: ArgumentHelp("The spool file (SQLite).", valueName: "path"))
    var spool: String?

    @Option(help: ArgumentHelp("The most the spool holds, of compressed events.", valueName: "MiB"))
    var spoolLimit: Int?

    @Flag(help: "Post to the legacy /api/PROJECT/store/ endpoint instead of /envelope/.")
    var store = false

    @Flag(help: "Send bodies uncompressed (default: gzip).")
    var noCompress = false

    @Option(help: "Requests in flight at once.")
    var maxInFlight: Int?

    @Option(help: ArgumentHelp("The most one request may take.", valueName: "seconds"))
    var timeout: Double?

    @Option(help: ArgumentHelp("The first wait before trying again after a failure.", valueName: "seconds"))
    var backoff: Double?

    @Option(help: ArgumentHelp("The longest wait between tries.", valueName: "seconds"))
    var maxBackoff: Double?

    @Option(help: ArgumentHelp("Print a summary line this often (0: only at the end).", valueName: "seconds"))
    var statsEvery: Double?

    @Option(help: ArgumentHelp(
        "A heka.ini file whose [heka] client the relay's counters go through, as Heka counter and gauge messages.",
        valueName: "path"))
    var statsClient: String?

    @Option(help: ArgumentHelp("An INI file whose [heka_relay] section holds settings (flags override them).",
                               valueName: "path"))
    var config: String?

    @Option(help: "The section of --config to read.")
    var section = "heka_relay"

    @Flag(name: .shortAndLong, help: "Print only problems, not the summary.")
    var quiet = false

    func validate() throws {
        _ = try settings()
    }

    /// The settings: the INI section's, then the flags'.
    func settings() throws -> RelaySettings {
        var settings = RelaySettings()
        if let config { try settings.read(iniFile: config, section: section) }
        try settings.apply(self)
        return settings
    }

    func run() throws {
        let settings = try settings()
        let source: RelayRun.Input = if let udp = input.udp { .udp(udp) } else if let tcp = input.tcp { .tcp(tcp) }
            else if let file = input.file { .file(file, follow: input.follow) } else { .none }
        let status = RelayRun(settings: settings, input: source, keys: try input.verificationKeys(), quiet: quiet).run()
        if status != 0 { throw ExitCode(status) }
    }
}
