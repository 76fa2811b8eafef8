import ArgumentParser
import HekaClient
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
            already arrived. For UDP the summary also says how many datagrams the kernel \
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

    @Argument(help: "A file to read, or - for standard input (the default when no listener is given).")
    var file: String?

    @Option(help: ArgumentHelp("Listen for UDP datagrams on this address.", valueName: "host:port"),
        transform: Endpoint.listenable)
    var udp: Endpoint?

    @Option(help: ArgumentHelp("Listen for TCP connections on this address.", valueName: "host:port"),
        transform: Endpoint.listenable)
    var tcp: Endpoint?

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

    @Option(name: .customLong("key"), help: ArgumentHelp(
        "Verify signed records with this key; a record signed by another signer or failing the check is a problem. Repeat for several.",
        valueName: "signer_version=key"))
    var keys: [VerificationKeyArgument] = []

    @Flag(help: "Keep reading the file as it grows (and from the top after it is truncated) until Ctrl-C.")
    var follow = false

    @Option(help: "Stop after this many (selected) messages.")
    var limit: Int?

    @Flag(name: .shortAndLong, help: "Print neither problems nor the summary; only the exit status tells.")
    var quiet = false

    func validate() throws {
        let sources = [file != nil, udp != nil, tcp != nil].filter { $0 }.count
        guard sources <= 1 else { throw ValidationError("read from one of FILE, --udp or --tcp") }
        if follow && (file == nil || file == "-") { throw ValidationError("--follow needs a FILE") }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
        if let groupBy, groupBy.split(separator: ",").isEmpty { throw ValidationError("--group-by needs a key") }
        for key in keys { _ = try key.validated() }
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
        let verification = keys.isEmpty ? nil : try keys.map { try $0.validated() }
        let session = CatSession(settings)
        InterruptSignals.install()
        do {
            if let udp {
                let listener = try UdpListener(udp)
                announce("udp", listener.address)
                listener.run(keys: verification, into: session)
            } else if let tcp {
                let listener = try TcpListener(tcp)
                announce("tcp", listener.address)
                listener.run(keys: verification, into: session)
            } else {
                try FileReader(path: file ?? "-", follow: follow).run(keys: verification, into: session)
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
