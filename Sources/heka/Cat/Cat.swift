import ArgumentParser
import HekaClient
import HekaInputs
import HekaPlatform

/// `heka cat`: reads Heka messages from a file, standard input or a listening socket and
/// prints, selects, unpacks or groups them.
struct Cat: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read Heka messages from a file, stdin or a UDP/TCP listener, and print or count them.",
        discussion: """
            The input may be framed protobuf (hekad's wire format, as UDP, TCP and file streams \
            write it) or JSON lines (the stdout stream's form): the first byte decides. Bytes \
            that are not a message (corrupt, cut off, or failing their HMAC check) are reported \
            on standard error with their byte offset (a line number for JSON lines) and counted; \
            reading goes on with the next record.

            --match takes hekad's message_matcher syntax:
              Type == 'stacktrace' && Severity <= 3
              Logger =~ /^shop/ || Fields[status] >= 500
              Fields[user] != NIL && Timestamp > "2026-01-01T00:00:00Z"
            Variables: Uuid Type Logger Payload EnvVersion Hostname (strings), Severity Pid \
            Timestamp (numbers), Fields[name], Fields[name][i][j]. Operators: == != < <= > >= \
            =~ !~ (regular expressions in /slashes/), && before ||, parentheses, TRUE FALSE NIL.

            --unpack decodes the packed Sentry event of stack-trace messages (the raven \
            plugin's and heka-py-raven's): `text` shows the exception and its frames, `json` \
            puts the event where the payload was. --group-by counts messages per key, largest \
            first: checksum, culprit or message (of the unpacked event, as Sentry groups \
            events), type, logger, severity, hostname, pid, or a field's name.

            A listener prints the address it listens on to standard error (use port 0 for any \
            free port) and runs until Ctrl-C or --limit; on Ctrl-C it first reads what has \
            already arrived. A TCP listener serves at most --max-connections at once (more \
            wait until one ends), closes a connection idle for --idle-timeout seconds, and \
            pauses accepting when the process has no file descriptor left. For UDP the summary also says how many datagrams the kernel \
            dropped because the socket's buffer was full.

            Exit status: 0 when everything read was a message (and, with --key, every signed \
            one verified); 1 when some bytes were not (each is reported); 2 when the input \
            could not be opened or the address could not be listened on; 64 for a usage error.

            Examples:
              heka demo --config heka.ini.example | heka cat
              heka cat --udp 127.0.0.1:5565
              heka cat --tcp 127.0.0.1:5565 --format count --limit 100000
              heka cat app.log --match "Type == 'stacktrace'" --unpack
              heka cat app.log --group-by checksum,culprit
              heka cat --udp 127.0.0.1:5565 --key ops_1=sesame --format json | jq .payload
              heka cat /var/log/app.heka --follow --match 'Severity <= 3'
            """
    )

    @OptionGroup var input: InputOptions

    @Option(help: "How to print messages: json (JSON lines), text (for people) or count (only how many).")
    var format: CatSession.Format = .text

    @Option(help: ArgumentHelp("Print only the messages this hekad message_matcher expression selects.",
                               valueName: "expression"))
    var match: String?

    @Flag(help: "Decode the packed Sentry event of stack-trace messages.")
    var unpack = false

    @Option(help: ArgumentHelp("Count messages per group of these keys, largest group first.",
                               valueName: "key,…"))
    var groupBy: String?

    @Option(help: "Stop after this many (selected) messages.")
    var limit: Int?

    @Flag(name: .shortAndLong, help: "Print neither problems nor the summary; only the exit status tells.")
    var quiet = false

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
        if let groupBy, groupBy.split(separator: ",").isEmpty { throw ValidationError("--group-by needs a key") }
        _ = try matcher()
    }

    private func matcher() throws -> MessageMatcher? {
        guard let match else { return nil }
        do {
            return try MessageMatcher(match)
        } catch {
            throw ValidationError("--match: \(error)")
        }
    }

    func run() throws {
        var settings = CatSession.Settings()
        settings.format = format
        settings.matcher = try matcher()
        settings.unpack = unpack
        settings.groupBy = groupBy.map { $0.split(separator: ",").map { GroupCounter.Key($0.trimmingWhitespace) } } ?? []
        settings.limit = limit
        settings.quiet = quiet
        let verification = try input.verificationKeys()
        let session = CatSession(settings)
        InterruptSignals.install()
        do {
            if let udp = input.udp {
                let listener = try UdpListener(udp)
                announce("udp", listener.address)
                listener.run(keys: verification, into: session)
            } else if let tcp = input.tcp {
                let listener = try TcpListener(tcp, limits: input.limits())
                announce("tcp", listener.address)
                listener.run(keys: verification, into: session)
            } else {
                try FileReader(path: input.file ?? "-", follow: input.follow).run(keys: verification, into: session)
            }
        } catch {
            printError("heka cat: \(error)")
            session.finish()
            throw ExitCode(2)
        }
        session.finish()
        if session.problems > 0 { throw ExitCode(1) }
    }

    private func announce(_ transport: String, _ address: String) {
        if !quiet { printError("heka cat: listening on \(transport) \(address)") }
    }
}

extension CatSession.Format: ExpressibleByArgument {}

/// What `heka cat` reads is what the inputs deliver.
typealias CatEvent = InputEvent

extension CatSession: InputSink {
    func notice(_ text: String) {
        if !settings.quiet { printError("heka cat: \(text)") }
    }
}
