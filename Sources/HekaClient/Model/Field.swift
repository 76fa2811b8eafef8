/// One named, typed field of a Heka message.
public struct Field: Sendable, Hashable {
    /// The field's name; nested names are joined with dots (`request.status`). Must not be
    /// empty: the encoder refuses a field with an empty name.
    public var name: String
    /// The field's values.
    public var value: FieldValue
    /// A free-form hint for readers, such as a unit (`ms`, `B`). heka-py always sends `""`.
    public var representation: String

    public init(name: String, value: FieldValue, representation: String = "") {
        self.name = name
        self.value = value
        self.representation = representation
    }
}
