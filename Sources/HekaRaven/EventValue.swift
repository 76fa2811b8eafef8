import HekaClient

/// A value in a Sentry event's `extra` or in a capture's context: JSON's kinds, written as
/// literals (`["user": 42, "items": ["a", "b"], "paid": false]`).
///
/// Not `ConfigurationValue`, though the kinds look alike: an event value has `null`, takes
/// literals and any value by description (raven's `repr`), and keeps a table's members in
/// the order written; a configuration value has no `null` and is typed by heka-py's rules.
/// It is written as JSON through the codec's wire value (`json`), which keeps numbers as
/// text.
public enum EventValue: Sendable, Hashable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral, CustomStringConvertible
{
    case null
    case string(String)
    case integer(Int)
    case double(Double)
    case bool(Bool)
    case list([EventValue])
    /// Members in the order written.
    case table([(key: String, value: EventValue)])

    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .integer(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: EventValue...) { self = .list(elements) }
    public init(dictionaryLiteral elements: (String, EventValue)...) { self = .table(elements.map { ($0.0, $0.1) }) }
    public init(nilLiteral: ()) { self = .null }

    /// Any value as text, as raven's `repr` fallback does.
    public init(describing value: Any) { self = .string(String(describing: value)) }

    public var description: String {
        var bytes: [UInt8] = []
        json.write(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The JSON form; a non-finite double is written as text.
    package var json: JSONValue {
        switch self {
        case .null: .null
        case .string(let text): .string(text)
        case .integer(let number): .integer(number)
        case .double(let number): number.isFinite ? .double(number) : .string(String(number))
        case .bool(let flag): .bool(flag)
        case .list(let items): .array(items.map(\.json))
        case .table(let entries): .object(entries.map { ($0.key, $0.value.json) })
        }
    }

    public static func == (lhs: EventValue, rhs: EventValue) -> Bool { lhs.json == rhs.json }
    public func hash(into hasher: inout Hasher) { hasher.combine(json) }
}
