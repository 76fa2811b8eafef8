import HekaClient
import Logging

extension Fields {
    /// swift-log metadata as typed fields, sorted by name so that the order does not depend
    /// on hashing: a `.string` is a string field, a `.stringConvertible` a string field
    /// holding its `description`, a `.dictionary` flattens to dotted names (as a nested
    /// fields literal does: `["http": ["status": "200"]]` sends `http.status`), and an
    /// `.array` is one field of several string values (a nested array or dictionary in it
    /// is one value, its swift-log text). A value whose key is empty is left out: a Heka
    /// field must have a name.
    public init(metadata: Logger.Metadata) {
        var fields: [Field] = []
        fields.reserveCapacity(metadata.count)
        Self.append(metadata, to: &fields)
        self.init(fields)
    }

    /// Appends the fields of `metadata`, as ``init(metadata:)`` makes them, to `fields`.
    ///
    /// A plain loop into an array whose capacity the caller reserved, then the new fields
    /// sorted in place, rather than `Fields.init(_:)` over a lazy sequence of sorted entries:
    /// that generic initialiser is not specialised across the module boundary, and walking
    /// the sequence through its protocol, with the array growing field by field, cost 700 ns
    /// for three values, the sorted copy of the pairs another 100 (heka-bench row L1).
    static func append(_ metadata: Logger.Metadata, to fields: inout [Field]) {
        let start = fields.endIndex
        for (key, value) in metadata where !key.isEmpty {
            value.appendFields(named: key, to: &fields)
        }
        if fields.count - start > 1 { fields[start...].sort { $0.name < $1.name } }
    }
}

extension Logger.MetadataValue {
    /// Appends this value as the field `name`, or, for a dictionary, as its fields with
    /// `name` and a dot in front (flattened by `Fields`, as a nested literal is).
    func appendFields(named name: String, to fields: inout [Field]) {
        switch self {
        case .string(let text): fields.append(Field(name: name, value: FieldValue(text)))
        case .stringConvertible(let convertible): fields.append(Field(name: name, value: FieldValue(convertible.description)))
        case .array(let values): fields.append(Field(name: name, value: FieldValue(values.map(\.fieldText))))
        case .dictionary(let dictionary):
            var group = Fields()
            group.append(name, .nested(Fields(metadata: dictionary)))
            fields.append(contentsOf: group.fields)
        }
    }

    /// The text of one value of an array field: a string as it is, anything else as
    /// swift-log prints it.
    var fieldText: String {
        switch self {
        case .string(let text): text
        case .stringConvertible(let convertible): convertible.description
        case .dictionary, .array: description
        }
    }

    /// The error this value holds, when it is a `.stringConvertible` whose value is one.
    var error: (any Error)? {
        if case .stringConvertible(let value) = self { value as? any Error } else { nil }
    }
}
