import ArgumentParser
import HekaClient
import HekaInputs

/// Where `heka cat` and `heka relay` read from: a file, standard input, or a UDP or TCP
/// listener (with its limits), and the keys that verify signed records.
struct InputOptions: ParsableArguments {
    @Argument(help: "A file to read, or - for standard input (the default when no listener is given).")
    var file: String?

    @Option(help: ArgumentHelp("Listen for UDP datagrams on this address.", valueName: "host:port"),
        transform: Endpoint.listenable)
    var udp: Endpoint?

    @Option(help: ArgumentHelp("Listen for TCP connections on this address.", valueName: "host:port"),
        transform: Endpoint.listenable)
    var tcp: Endpoint?

    @Option(name: .customLong("key"), help: ArgumentHelp(
        "Verify signed records with this key; a record signed by another signer or failing the check is a problem. Repeat for several.",
        valueName: "signer_version=key"))
    var keys: [VerificationKeyArgument] = []

    @Flag(help: "Keep reading the file as it grows until Ctrl-C: from the top after it is truncated, and the new file after a rename and recreate (as logrotate does).")
    var follow = false

    @Option(help: "TCP connections served at once; more wait until one ends (default 1024).")
    var maxConnections: Int?

    @Option(help: ArgumentHelp("Close a TCP connection that sends nothing for this long (default 300).", valueName: "seconds"))
    var idleTimeout: Double?

    func validate() throws {
        let sources = [file != nil, udp != nil, tcp != nil].filter { $0 }.count
        guard sources <= 1 else { throw ValidationError("read from one of FILE, --udp or --tcp") }
        if follow && (file == nil || file == "-") { throw ValidationError("--follow needs a FILE") }
        if let maxConnections, maxConnections < 1 { throw ValidationError("--max-connections must be at least 1") }
        if let idleTimeout, !(idleTimeout > 0) { throw ValidationError("--idle-timeout must be more than 0 seconds") }
        for key in keys { _ = try key.validated() }
    }

    /// The verification keys, or `nil` when none is given.
    func verificationKeys() throws -> [HMACSigner]? {
        keys.isEmpty ? nil : try keys.map { try $0.validated() }
    }

    /// The TCP listener's limits: these flags over `base`.
    func limits(over base: TcpListener.Limits = TcpListener.Limits()) -> TcpListener.Limits {
        var limits = base
        if let maxConnections { limits.maximumConnections = maxConnections }
        if let idleTimeout { limits.idleTimeout = .milliseconds(Int64(idleTimeout * 1000)) }
        return limits
    }
}
