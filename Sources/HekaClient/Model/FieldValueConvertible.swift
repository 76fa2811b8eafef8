/// A runtime value that becomes fields as it is: the integer types, `Double`, `Float`,
/// `Bool`, `String`, `Substring`, ``FieldValue``, optionals (`nil` sends no field), arrays of
/// them (one field of several values) and nested groups (dotted names): a nested dictionary
/// literal's fields are sorted by name, a `KeyValuePairs` group's keep their order.
///
/// It is what lets a fields literal hold values known only at run time:
/// ```swift
/// client.heka(type: "request", fields: ["status": status, "ms": elapsed, "user": user.name,
///                                       "coupon": coupon /* String?: no field when nil */])
/// ```
/// A literal made only of literals is built without boxing its values (``Fields/Entry``);
/// one that holds runtime values takes this path, which costs one existential box per value.
public protocol FieldValueConvertible {
    /// The value as one field's value; `nil` for no field.
    var fieldValue: FieldValue? { get }
    /// Appends the field(s) this value makes under `name`: by default one field of
    /// ``fieldValue``, or none when it is `nil`.
    func appendFields(named name: String, to fields: inout Fields)
}

extension FieldValueConvertible {
    public func appendFields(named name: String, to fields: inout Fields) {
        if let value = fieldValue { fields.append(Field(name: name, value: value)) }
    }
}

extension Fields {
    /// Fields from name–value pairs with runtime values, in the given order; nested groups
    /// flatten to dotted names and `nil` optionals send no field.
    public init(_ pairs: KeyValuePairs<String, any FieldValueConvertible>) {
        self.init()
        reserveCapacity(pairs.count)  // one allocation when no group is nested
        for (name, value) in pairs { value.appendFields(named: name, to: &self) }
    }
}

/// A fields literal that holds values known only at run time: what the calls that take
/// fields accept when a literal has a value that ``Fields/Entry`` cannot hold
/// (`fields: ["status": status, "user": user.name]`). Its pairs keep their order.
public struct RuntimeFields: ExpressibleByDictionaryLiteral {
    /// The fields, flattened.
    public let fields: Fields

    public init(dictionaryLiteral elements: (String, any FieldValueConvertible)...) {
        // The pairs are moved out of the literal's array rather than copied (a copy of a
        // pair that holds an existential goes through the runtime's generic tuple witness);
        // turned round first, so that the last one popped is the first written.
        var pairs = elements
        pairs.withUnsafeMutableBufferPointer { $0.reverse() }
        var fields = Fields()
        fields.reserveCapacity(pairs.count)  // one allocation when no group is nested
        while let (name, value) = pairs.popLast() { value.appendFields(named: name, to: &fields) }
        self.fields = fields
    }
}

extension KeyValuePairs: FieldValueConvertible where Key == String, Value == any FieldValueConvertible {
    /// Nested pairs are no single value.
    public var fieldValue: FieldValue? { nil }
    /// The pairs' fields, each name prefixed with `name` and a dot.
    public func appendFields(named name: String, to fields: inout Fields) {
        for (key, value) in self { value.appendFields(named: name + "." + key, to: &fields) }
    }
}

extension FieldValue: FieldValueConvertible {
    public var fieldValue: FieldValue? { self }
}

extension String: FieldValueConvertible {
    public var fieldValue: FieldValue? { FieldValue(self) }
}

extension Substring: FieldValueConvertible {
    public var fieldValue: FieldValue? { FieldValue(String(self)) }
}

extension Bool: FieldValueConvertible {
    public var fieldValue: FieldValue? { FieldValue(self) }
}

extension Double: FieldValueConvertible {
    public var fieldValue: FieldValue? { FieldValue(self) }
}

extension Float: FieldValueConvertible {
    public var fieldValue: FieldValue? { FieldValue(Double(self)) }
}

extension FieldValueConvertible where Self: BinaryInteger {
    /// An `INTEGER` field; a value beyond `Int64`'s range is clamped, as
    /// ``FieldValue/init(_:)-(BinaryInteger)`` does.
    public var fieldValue: FieldValue? { FieldValue(self) }
}

extension Int: FieldValueConvertible {}
extension Int8: FieldValueConvertible {}
extension Int16: FieldValueConvertible {}
extension Int32: FieldValueConvertible {}
extension Int64: FieldValueConvertible {}
extension UInt: FieldValueConvertible {}
extension UInt8: FieldValueConvertible {}
extension UInt16: FieldValueConvertible {}
extension UInt32: FieldValueConvertible {}
extension UInt64: FieldValueConvertible {}

extension Optional: FieldValueConvertible where Wrapped: FieldValueConvertible {
    /// The wrapped value's; `nil` sends no field.
    public var fieldValue: FieldValue? { self?.fieldValue }
}

extension Array: FieldValueConvertible where Element: FieldValueConvertible {
    /// One field of several values, widened as an array literal is
    /// (``FieldValue/init(joining:)``); `nil` elements are left out.
    public var fieldValue: FieldValue? { FieldValue(joining: compactMap(\.fieldValue)) }
}

extension Dictionary: FieldValueConvertible where Key == String, Value == any FieldValueConvertible {
    /// A nested group is no single value.
    public var fieldValue: FieldValue? { nil }
    /// The members' fields, sorted by name (a dictionary has no order of its own), each
    /// name prefixed with `name` and a dot.
    public func appendFields(named name: String, to fields: inout Fields) {
        for (key, value) in sorted(by: { $0.key < $1.key }) {
            value.appendFields(named: name + "." + key, to: &fields)
        }
    }
}
