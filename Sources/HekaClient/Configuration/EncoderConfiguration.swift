/// How a configured client encodes messages.
///
/// INI: `encoder` in the client section: `protobuf` (`heka.encoders.ProtobufEncoder`) or
/// `json` (`heka.encoders.JSONEncoder`, which here means JSON lines). Without it a client
/// writes JSON lines to standard output and framed protobuf everywhere else.
public struct EncoderConfiguration: Sendable, Hashable, CustomStringConvertible {
    /// The encoders, by the name the `encoder` key takes (`automatic` only as the default).
    enum Kind: String, ConfigurationChoice {
        case automatic, protobuf
        case jsonLines = "json"

        static var hekaPyNames: [(choice: Kind, names: [String])] { HekaPyNames.encoders }
    }

    let kind: Kind

    /// JSON lines for the stdout stream, framed protobuf for any other (the default).
    public static let automatic = EncoderConfiguration(kind: .automatic)
    /// ``ProtobufEncoder``: what hekad reads; signed when an HMAC key is configured.
    public static let protobuf = EncoderConfiguration(kind: .protobuf)
    /// ``JSONLinesEncoder``: one JSON object per line, for people and log shippers.
    public static let jsonLines = EncoderConfiguration(kind: .jsonLines)

    /// `automatic`, `protobuf` or `json`, as the `encoder` key takes it.
    public var description: String { kind.rawValue }

    /// The encoder for a client writing to `stream`: ``automatic`` picks JSON lines for
    /// standard output (unless records are to be signed) and framed protobuf otherwise.
    func makeEncoder(signer: HMACSigner?, for stream: StreamConfiguration) -> any MessageEncoder {
        switch kind {
        case .automatic:
            if signer == nil, case .standardOutput = stream.kind { JSONLinesEncoder() } else { ProtobufEncoder(signer: signer) }
        case .protobuf: ProtobufEncoder(signer: signer)
        case .jsonLines: JSONLinesEncoder()
        }
    }
}
