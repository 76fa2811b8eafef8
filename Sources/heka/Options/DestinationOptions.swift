import ArgumentParser
import HekaClient

/// `--udp`, `--tcp` and `--sign`: where to send and how to sign, over what the
/// configuration says.
struct DestinationOptions: ParsableArguments {
    @Option(name: .customLong("udp"), help: ArgumentHelp(
        "Send framed protobuf over UDP to this address instead of the configured stream.", valueName: "host:port"),
        transform: Endpoint.sendable)
    var udp: Endpoint?

    @Option(name: .customLong("tcp"), help: ArgumentHelp(
        "Send framed protobuf over TCP to this address instead of the configured stream.", valueName: "host:port"),
        transform: Endpoint.sendable)
    var tcp: Endpoint?

    @Option(name: .customLong("sign"), help: ArgumentHelp(
        "Sign records with HMAC, as hekad's signers check them (default hash: md5).",
        valueName: "signer:version:key[:md5|sha1]"))
    var sign: SigningKeyArgument?

    func validate() throws {
        if udp != nil && tcp != nil { throw ValidationError("give --udp or --tcp, not both") }
        try udp?.checkSendable(option: "--udp")
        try tcp?.checkSendable(option: "--tcp")
        _ = try sign?.validated()
    }

    /// The chosen endpoint and whether it is UDP.
    var endpoint: (Endpoint, isUDP: Bool)? {
        if let udp { return (udp, true) }
        if let tcp { return (tcp, false) }
        return nil
    }

    /// `configuration` with the stream and signer these options name.
    func applied(to configuration: HekaConfiguration) throws -> HekaConfiguration {
        var configuration = configuration
        if let (endpoint, isUDP) = endpoint {
            configuration.stream = isUDP ? .udp(host: endpoint.host, port: endpoint.port)
                : .tcp(host: endpoint.host, port: endpoint.port)
            configuration.encoder = .automatic
        }
        if let sign { configuration.hmac = try sign.validated() }
        return configuration
    }
}
