import Foundation

/// One value of a configuration section, as an INI file or a dictionary gave it, before a
/// key gives it a meaning. ``ConfigurationSection``'s accessors read it as the type a key
/// wants and name the file, line, section and key when it is not.
///
/// INI values are these too, typed by ``init(typing:)``. Why the raven
/// plugin's `EventValue` and the JSON-lines codec's JSON value are other types: a
/// configuration has no `null`, its lists and tables are heka-py's (a table's keys sorted,
/// since Python dictionaries had no order), and its text is typed by heka-py's rules; an
/// event value is what a program passes as context, with `null` and literals; a JSON
/// value keeps numbers as written, for exact round trips.
public enum ConfigurationValue: Sendable, Hashable, CustomStringConvertible {
    /// Text.
    case string(String)
    /// A whole number.
    case integer(Int)
    /// A number with a fraction (dictionaries only; INI has no floating-point values).
    case double(Double)
    /// `true`/`false` (INI: `true`, `t`, `on`, `yes` / `false`, `f`, `off`, `no`).
    case bool(Bool)
    /// A sequence (INI: a value continued on indented lines).
    case list([ConfigurationValue])
    /// Named values, in their order (dictionaries only).
    case table([(key: String, value: ConfigurationValue)])

    /// A value of a heka-py style dictionary: strings, numbers, booleans, arrays, tuples
    /// (as lists) and dictionaries with string keys (sorted by key, as dictionaries have no
    /// order). `nil` for anything else.
    init?(any value: Any) {
        switch value {
        case let number as NSNumber where type(of: value) is NSNumber.Type:
            // What JSONSerialization and property lists give: a Foundation number, which
            // `as? Bool` would read as true for any 1. Its own type says what it is.
            switch UInt8(bitPattern: number.objCType.pointee) {
            case UInt8(ascii: "c"), UInt8(ascii: "B"): self = .bool(number.boolValue)
            case UInt8(ascii: "d"), UInt8(ascii: "f"): self = .double(number.doubleValue)
            case UInt8(ascii: "Q"), UInt8(ascii: "L"), UInt8(ascii: "I"):
                guard let exact = Int(exactly: number.uint64Value) else { return nil }
                self = .integer(exact)
            default: self = .integer(number.intValue)
            }
        case let flag as Bool: self = .bool(flag)
        case let text as String: self = .string(text)
        case let text as Substring: self = .string(String(text))
        case let number as Int: self = .integer(number)
        case let number as any BinaryInteger:
            guard let exact = Int(exactly: number) else { return nil }
            self = .integer(exact)
        case let number as Double: self = .double(number)
        case let number as Float: self = .double(Double(number))
        case let table as [String: Any]:
            var entries: [(key: String, value: ConfigurationValue)] = []
            for key in table.keys.sorted() {
                guard let value = ConfigurationValue(any: table[key]!) else { return nil }
                entries.append((key, value))
            }
            self = .table(entries)
        case let items as [Any]:
            var values: [ConfigurationValue] = []
            for item in items {
                guard let value = ConfigurationValue(any: item) else { return nil }
                values.append(value)
            }
            self = .list(values)
        default:
            // Tuples, such as heka-py's `(provider, {arguments})` pairs.
            let mirror = Mirror(reflecting: value)
            guard mirror.displayStyle == .tuple else { return nil }
            var values: [ConfigurationValue] = []
            for child in mirror.children {
                guard let value = ConfigurationValue(any: child.value) else { return nil }
                values.append(value)
            }
            self = .list(values)
        }
    }

    /// The items of a list; any other value as a list of one.
    public var listItems: [ConfigurationValue] {
        if case .list(let items) = self { return items }
        return [self]
    }

    /// A short name of the value's kind, for error messages.
    var kind: String {
        switch self {
        case .string: "text"
        case .integer: "an integer"
        case .double: "a number"
        case .bool: "a boolean"
        case .list: "a list"
        case .table: "a table"
        }
    }

    /// The value as an INI file would write it (a list one item per line, a table as
    /// `key: value` lines).
    public var description: String {
        switch self {
        case .string(let text): text
        case .integer(let number): String(number)
        case .double(let number): String(number)
        case .bool(let flag): String(flag)
        case .list(let items): items.map(\.description).joined(separator: "\n")
        case .table(let entries): entries.map { "\($0.key): \($0.value)" }.joined(separator: "\n")
        }
    }

    public static func == (lhs: ConfigurationValue, rhs: ConfigurationValue) -> Bool {
        switch (lhs, rhs) {
        case (.string(let a), .string(let b)): a == b
        case (.integer(let a), .integer(let b)): a == b
        case (.double(let a), .double(let b)): a == b
        case (.bool(let a), .bool(let b)): a == b
        case (.list(let a), .list(let b)): a == b
        case (.table(let a), .table(let b)): a.map(\.key) == b.map(\.key) && a.map(\.value) == b.map(\.value)
        default: false
        }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(kind)
        hasher.combine(description)
    }
}
