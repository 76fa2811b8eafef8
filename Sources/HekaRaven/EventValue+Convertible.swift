/// A runtime value that becomes an ``EventValue`` as it is: the integer types, `Double`,
/// `Float`, `String`, `Substring`, `Bool`, optionals (`nil` is `null`), arrays and
/// dictionaries of them, and ``EventValue`` itself.
///
/// ```swift
/// let extra: [String: EventValue] = ["order": EventValue(order), "coupon": EventValue(coupon)]
/// ```
public protocol EventValueConvertible {
    /// The value as an event value.
    var eventValue: EventValue { get }
}

extension EventValue {
    /// A runtime value as it is: `EventValue(order)` for an `Int`, `EventValue(coupon)` for
    /// a `String?` (`null` when `nil`).
    public init(_ value: some EventValueConvertible) { self = value.eventValue }
}

extension EventValue: EventValueConvertible {
    /// This value.
    public var eventValue: EventValue { self }
}

extension String: EventValueConvertible {
    /// A JSON string.
    public var eventValue: EventValue { .string(self) }
}

extension Substring: EventValueConvertible {
    /// A JSON string.
    public var eventValue: EventValue { .string(String(self)) }
}

extension Bool: EventValueConvertible {
    /// A JSON boolean.
    public var eventValue: EventValue { .bool(self) }
}

extension Double: EventValueConvertible {
    /// A JSON number (a non-finite one is written as text).
    public var eventValue: EventValue { .double(self) }
}

extension Float: EventValueConvertible {
    /// A JSON number (a non-finite one is written as text).
    public var eventValue: EventValue { .double(Double(self)) }
}

extension EventValueConvertible where Self: BinaryInteger {
    /// A JSON integer; one beyond `Int`'s range is written by description, as text.
    public var eventValue: EventValue {
        if let value = Int(exactly: self) { return .integer(value) }
        return .string(String(self))
    }
}

extension Int: EventValueConvertible {}
extension Int8: EventValueConvertible {}
extension Int16: EventValueConvertible {}
extension Int32: EventValueConvertible {}
extension Int64: EventValueConvertible {}
extension UInt: EventValueConvertible {}
extension UInt8: EventValueConvertible {}
extension UInt16: EventValueConvertible {}
extension UInt32: EventValueConvertible {}
extension UInt64: EventValueConvertible {}

extension Optional: EventValueConvertible where Wrapped: EventValueConvertible {
    /// The wrapped value's, or `null`.
    public var eventValue: EventValue { self?.eventValue ?? .null }
}

extension Array: EventValueConvertible where Element: EventValueConvertible {
    /// A JSON array.
    public var eventValue: EventValue { .list(map(\.eventValue)) }
}

extension Dictionary: EventValueConvertible where Key == String, Value: EventValueConvertible {
    /// A JSON object, its members sorted by name.
    public var eventValue: EventValue {
        .table(sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value.eventValue) })
    }
}
