import HekaClient
import Logging

extension Fields {
    /// swift-log metadata as typed fields, sorted by key so that the order does not depend
    /// on hashing: a `.string` is a string field, a `.stringConvertible` a string field
    /// holding its `description`, a `.dictionary` flattens to dotted names (as a nested
    /// fields literal does: `["http": ["status": "200"]]` sends `http.status`), and an
    /// `.array` is one field of several string values (a nested array or dictionary in it
    /// is one value, its swift-log text). A value whose key is empty is left out: a Heka
    /// field must have a name.
    public init(metadata: Logger.Metadata) {
        self.init(metadata.lazy.filter { !$0.key.isEmpty }.sorted { $0.key < $1.key }.lazy.map { ($0.key, Entry($0.value)) })
    }
}

extension Fields.Entry {
    /// One metadata value as a field, or as a group of fields for a dictionary.
    init(_ value: Logger.MetadataValue) {
        switch value {
        case .string(let text): self = .value(FieldValue(text))
        case .stringConvertible(let convertible): self = .value(FieldValue(convertible.description))
        case .dictionary(let dictionary): self = .nested(Fields(metadata: dictionary))
        case .array(let values): self = .value(FieldValue(values.map(\.fieldText)))
        }
    }
}

extension Logger.MetadataValue {
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
