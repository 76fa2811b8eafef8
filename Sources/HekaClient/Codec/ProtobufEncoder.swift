/// Encodes messages as hekad reads them: protobuf, framed, optionally HMAC-signed.
///
/// One record is `0x1E | header length | header | 0x1F | message`. The encoder sizes the
/// record exactly, allocates once and writes in place; a signed record's digest is computed
/// over the message bytes where they lie and patched into the header.
///
/// INI: `encoder = heka.encoders.ProtobufEncoder` (or `protobuf`); the signer comes from
/// `[heka_hmac]`. This is the default encoder of every stream but stdout.
public struct ProtobufEncoder: MessageEncoder, Hashable {
    /// hekad's default `max_message_size`.
    public static let defaultMaxMessageSize = 65_536

    /// Signs every record when set. Default: `nil`, unsigned.
    public var signer: HMACSigner?
    /// The largest message accepted, in bytes (the protobuf message, not the record).
    /// Default: 65,536, hekad's `max_message_size`.
    public var maxMessageSize: Int

    public init(signer: HMACSigner? = nil, maxMessageSize: Int = ProtobufEncoder.defaultMaxMessageSize) {
        self.signer = signer
        self.maxMessageSize = maxMessageSize
    }

    public func encode(_ message: Message) throws(CodecError) -> [UInt8] {
        try Self.encode(message, framed: true, signer: signer, limit: maxMessageSize)
    }

    /// The bare protobuf encoding of a message, with no framing.
    public func encodeMessage(_ message: Message) throws(CodecError) -> [UInt8] {
        try Self.encode(message, framed: false, signer: nil, limit: maxMessageSize)
    }

    /// Sizes the message (its fields' sizes kept on the stack for the length prefixes),
    /// writes the record in place and allocates it once. The parameters are borrowed so that the
    /// closures below read them where they are rather than copying them.
    private static func encode(
        _ message: borrowing Message, framed: Bool, signer: borrowing HMACSigner?, limit: Int
    ) throws(CodecError) -> [UInt8] {
        try withUnsafeTemporaryAllocation(of: Int.self, capacity: message.fields.count) {
            (fieldSizes) throws(CodecError) -> [UInt8] in
            let messageLength = try message.protobufSize(fieldSizes: fieldSizes)
            guard messageLength <= limit else {
                throw CodecError(.messageTooLarge,
                    "a \(message.type.debugDescription) message encodes to \(messageLength) bytes, over the \(limit)-byte limit (hekad's max_message_size)")
            }
            let headerLength = framed ? RecordHeader.size(messageLength: messageLength, signer: signer) : 0
            let total = (framed ? 3 + headerLength : 0) + messageLength
            // Written in place in a temporary buffer, then copied into the record in one go:
            // `Array(unsafeUninitializedCapacity:)` allocates through the standard library's
            // unspecialised path, whose lookup of the array type costs ten times the copy.
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: total) { buffer in
                // The writer checks every store against the buffer's real size (in debug
                // builds) and, at the end, that the record filled it exactly.
                var writer = ProtobufWriter(buffer)
                var digestOffset: Int?
                if framed {
                    writer.byte(0x1E)
                    writer.byte(UInt8(headerLength))
                    digestOffset = RecordHeader.write(messageLength: messageLength, signer: signer, to: &writer)
                    writer.byte(0x1F)
                }
                let messageStart = writer.offset
                message.writeProtobuf(to: &writer, fieldSizes: fieldSizes)
                writer.finish()
                if let digestOffset, let signer = copy signer {
                    signer.writeAuthenticationCode(
                        for: writer.written(from: messageStart),
                        to: writer.rewritable(at: digestOffset, count: signer.hashFunction.digestSize))
                }
                return Array(buffer)
            }
        }
    }
}
