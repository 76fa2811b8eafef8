/// Turns a message into the bytes of one record, ready for a `HekaStream`.
public protocol MessageEncoder: Sendable {
    /// Encodes one message. Throws when the message cannot be sent as it is (an empty field
    /// name, a message over the size limit); the client counts and reports that.
    func encode(_ message: Message) throws(CodecError) -> [UInt8]
}

extension Message {
    /// Every encoder refuses a field with an empty name.
    func checkFieldNames() throws(CodecError) {
        if let index = fields.firstIndex(where: { $0.name.isEmpty }) { throw emptyFieldName(at: index) }
    }

    /// The error for the field at `index`, whose name is empty.
    func emptyFieldName(at index: Int) -> CodecError {
        CodecError(.emptyFieldName, "field \(index) of a \(type.debugDescription) message has an empty name")
    }
}
