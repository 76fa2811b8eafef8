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
        let messageLength = try Self.checkedSize(of: message, limit: maxMessageSize)
        let headerLength = RecordHeader.size(messageLength: messageLength, signer: signer)
        let total = 3 + headerLength + messageLength
        return [UInt8](unsafeUninitializedCapacity: total) { buffer, count in
            let base = buffer.baseAddress!
            var writer = ProtobufWriter(base: base)
            writer.byte(0x1E)
            writer.byte(UInt8(headerLength))
            let digestOffset = RecordHeader.write(messageLength: messageLength, signer: signer, to: &writer)
            writer.byte(0x1F)
            let messageStart = writer.offset
            message.writeProtobuf(to: &writer)
            precondition(writer.offset == total, "record size computed as \(total), wrote \(writer.offset)")
            if let signer, let digestOffset {
                let digest = signer.authenticationCode(
                    for: UnsafeRawBufferPointer(start: base + messageStart, count: messageLength))
                (base + digestOffset).update(from: digest, count: digest.count)
            }
            count = total
        }
    }

    /// The bare protobuf encoding of a message, with no framing.
    public func encodeMessage(_ message: Message) throws(CodecError) -> [UInt8] {
        let length = try Self.checkedSize(of: message, limit: maxMessageSize)
        return [UInt8](unsafeUninitializedCapacity: length) { buffer, count in
            var writer = ProtobufWriter(base: buffer.baseAddress!)
            message.writeProtobuf(to: &writer)
            count = writer.offset
        }
    }

    /// The message's encoded size, after checking that it can be encoded at all.
    static func checkedSize(of message: Message, limit: Int) throws(CodecError) -> Int {
        try message.checkFieldNames()
        let size = message.protobufSize()
        guard size <= limit else {
            throw CodecError(.messageTooLarge,
                "a \(message.type.debugDescription) message encodes to \(size) bytes, over the \(limit)-byte limit (hekad's max_message_size)")
        }
        return size
    }
}
