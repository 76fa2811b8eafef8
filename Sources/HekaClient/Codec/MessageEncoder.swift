/// Turns a message into the bytes of one record, ready for a ``HekaStream``.
public protocol MessageEncoder: Sendable {
    /// Encodes one message. Throws when the message cannot be sent as it is (an empty field
    /// name, a message over the size limit); the client counts and reports that.
    func encode(_ message: Message) throws(CodecError) -> [UInt8]
}
