/// An ordered list of fields, written as a dictionary literal.
///
/// ```swift
/// client.heka(type: "request", fields: ["status": 200, "ok": true,
///                                       "route": ["name": "home", "ms": 12.5]])
/// ```
/// sends the fields `status`, `ok`, `route.name` and `route.ms`, in that order: nested
/// dictionaries flatten to dotted names, as heka-py flattens nested dicts.
public struct Fields: Sendable, Hashable, RandomAccessCollection, ExpressibleByDictionaryLiteral {
    /// The flattened fields, in the order they were given.
    public private(set) var fields: [Field]

    /// One entry of a fields literal: a value, or a nested group whose names get this
    /// entry's name and a dot in front.
    ///
    /// An interpolated string is a `STRING` value: `"user": "\(user)"`.
    public enum Entry: Sendable, ExpressibleByStringInterpolation, ExpressibleByIntegerLiteral,
        ExpressibleByFloatLiteral, ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral,
        ExpressibleByDictionaryLiteral
    {
        case value(FieldValue)
        case nested(Fields)

        public init(stringLiteral value: String) { self = .value(FieldValue(value)) }
        public init(stringInterpolation: DefaultStringInterpolation) {
            self = .value(FieldValue(String(stringInterpolation: stringInterpolation)))
        }
        public init(integerLiteral value: Int64) { self = .value(FieldValue(value)) }
        public init(floatLiteral value: Double) { self = .value(FieldValue(value)) }
        public init(booleanLiteral value: Bool) { self = .value(FieldValue(value)) }
        public init(arrayLiteral elements: FieldValue...) { self = .value(FieldValue(joining: elements)) }
        public init(dictionaryLiteral elements: (String, Entry)...) { self = .nested(Fields(elements)) }
    }

    /// No fields.
    public init() { fields = [] }

    /// Fields taken as they are.
    public init(_ fields: [Field]) { self.fields = fields }

    public init(dictionaryLiteral elements: (String, Entry)...) {
        // The pairs are moved out of the literal's array (turned round so that the last one
        // popped is the first written) instead of copied: copies would leave the originals
        // to be destroyed with the array, one by one through the runtime's generic tuple
        // destructor, which costs more than building the fields.
        var pairs = elements
        pairs.withUnsafeMutableBufferPointer { $0.reverse() }
        fields = []
        fields.reserveCapacity(pairs.count)
        while let (name, entry) = pairs.popLast() { append(name, entry) }
    }

    /// Fields from name–entry pairs, nested groups flattened with dots, in the given order.
    public init(_ elements: some Sequence<(String, Entry)>) {
        fields = []
        fields.reserveCapacity(elements.underestimatedCount)
        for (name, entry) in elements { append(name, entry) }
    }

    /// Fields from a dictionary, sorted by name so that the order does not depend on hashing.
    public init(_ dictionary: [String: FieldValue]) {
        fields = dictionary.sorted { $0.key < $1.key }.map { Field(name: $0.key, value: $0.value) }
    }

    /// Appends a field, or the flattened fields of a nested group.
    public mutating func append(_ name: String, _ entry: consuming Entry) {
        switch consume entry {
        case .value(let value): fields.append(Field(name: name, value: value))
        case .nested(let group):
            fields.append(contentsOf: group.fields.map {
                Field(name: name + "." + $0.name, value: $0.value, representation: $0.representation)
            })
        }
    }

    /// Appends one field.
    public mutating func append(_ field: Field) { fields.append(field) }

    /// Makes room for `count` fields in all, so that appending them allocates once.
    public mutating func reserveCapacity(_ count: Int) { fields.reserveCapacity(count) }

    /// The first field with this name.
    public subscript(name: String) -> FieldValue? { fields.first { $0.name == name }?.value }

    public var startIndex: Int { fields.startIndex }
    public var endIndex: Int { fields.endIndex }
    public subscript(position: Int) -> Field { fields[position] }
}
