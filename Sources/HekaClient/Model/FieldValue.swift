/// The value of one Heka field: one or more values of a single wire type.
///
/// Heka's `Field` is repeated by nature, but most fields hold one value, and a `FieldValue`
/// keeps one string, integer, double, bool or byte array inline, without an array around
/// it. Build values with the literals (`"text"`, `42`, `3.5`, `true`, `["a", "b"]`), the
/// initialisers (`FieldValue(name)`) or the constructors for several values
/// (`.strings(["a", "b"])`), and read them with ``string``, ``integer``, … (the first value)
/// or ``strings``, ``integers``, … (all of them). One value is the same value however it was
/// built: `FieldValue("a") == .strings(["a"])`.
public struct FieldValue: Sendable, Hashable {
    /// The values, tagged with their wire type.
    let storage: Storage

    /// Values of each wire type, one inline or several in an array.
    enum Storage: Sendable {
        case strings(Values<String>)
        case bytes(Values<[UInt8]>)
        case integers(Values<Int64>)
        case doubles(Values<Double>)
        case bools(Values<Bool>)
    }

    init(storage: Storage) { self.storage = storage }

    /// The wire type of a field's values (protobuf enum `Field.ValueType`).
    public enum ValueType: Int32, Sendable, Hashable, CaseIterable, CustomStringConvertible {
        case string = 0, bytes = 1, integer = 2, double = 3, bool = 4

        /// The upper-case name used by hekad and by the JSON-lines form: `INTEGER`.
        public var description: String {
            switch self {
            case .string: "STRING"
            case .bytes: "BYTES"
            case .integer: "INTEGER"
            case .double: "DOUBLE"
            case .bool: "BOOL"
            }
        }

        /// Reads an upper- or lower-case name as written by ``description``.
        public init?(name: some StringProtocol) {
            guard let type = Self.allCases.first(where: { $0.description == name.uppercased() })
            else { return nil }
            self = type
        }
    }

    /// One string value.
    public init(_ value: String) { storage = .strings(.one(value)) }
    /// One integer value.
    public init(_ value: some BinaryInteger) { storage = .integers(.one(Int64(clamping: value))) }
    /// One double value.
    public init(_ value: Double) { storage = .doubles(.one(value)) }
    /// One bool value.
    public init(_ value: Bool) { storage = .bools(.one(value)) }
    /// One bytes value.
    public init(bytes value: some Sequence<UInt8>) { storage = .bytes(.one(Array(value))) }

    /// `STRING` values.
    public static func strings(_ values: [String]) -> FieldValue { FieldValue(storage: .strings(Values(values))) }
    /// `BYTES` values.
    public static func bytes(_ values: [[UInt8]]) -> FieldValue { FieldValue(storage: .bytes(Values(values))) }
    /// `INTEGER` values (64-bit).
    public static func integers(_ values: [Int64]) -> FieldValue { FieldValue(storage: .integers(Values(values))) }
    /// `DOUBLE` values.
    public static func doubles(_ values: [Double]) -> FieldValue { FieldValue(storage: .doubles(Values(values))) }
    /// `BOOL` values. heka-py sent Python bools as `INTEGER`; this client sends `BOOL`.
    public static func bools(_ values: [Bool]) -> FieldValue { FieldValue(storage: .bools(Values(values))) }

    /// The wire type of these values.
    public var valueType: ValueType {
        switch storage {
        case .strings: .string
        case .bytes: .bytes
        case .integers: .integer
        case .doubles: .double
        case .bools: .bool
        }
    }

    /// How many values the field holds.
    public var count: Int {
        switch storage {
        case .strings(let v): v.count
        case .bytes(let v): v.count
        case .integers(let v): v.count
        case .doubles(let v): v.count
        case .bools(let v): v.count
        }
    }

    /// The first value when it is a string.
    public var string: String? { if case .strings(let v) = storage { v.first } else { nil } }
    /// The first value when it is an integer.
    public var integer: Int64? { if case .integers(let v) = storage { v.first } else { nil } }
    /// The first value when it is a double.
    public var double: Double? { if case .doubles(let v) = storage { v.first } else { nil } }
    /// The first value when it is a bool.
    public var bool: Bool? { if case .bools(let v) = storage { v.first } else { nil } }
    /// The first value when it is bytes.
    public var byteValue: [UInt8]? { if case .bytes(let v) = storage { v.first } else { nil } }

    /// All the values when they are strings.
    public var strings: [String]? { if case .strings(let v) = storage { v.array } else { nil } }
    /// All the values when they are integers.
    public var integers: [Int64]? { if case .integers(let v) = storage { v.array } else { nil } }
    /// All the values when they are doubles.
    public var doubles: [Double]? { if case .doubles(let v) = storage { v.array } else { nil } }
    /// All the values when they are bools.
    public var bools: [Bool]? { if case .bools(let v) = storage { v.array } else { nil } }
    /// All the values when they are bytes.
    public var bytes: [[UInt8]]? { if case .bytes(let v) = storage { v.array } else { nil } }

    /// The values as text, one element per value: what `heka send` and `heka cat` print.
    public var textValues: [String] {
        switch storage {
        case .strings(let v): v.array
        case .bytes(let v): v.map(hexString)
        case .integers(let v): v.map { String($0) }
        case .doubles(let v): v.map { String($0) }
        case .bools(let v): v.map { String($0) }
        }
    }

    /// Whether two values hold the same wire data. Doubles compare by bit pattern, so a NaN
    /// read back from the wire equals the NaN that was written.
    public static func == (lhs: FieldValue, rhs: FieldValue) -> Bool {
        switch (lhs.storage, rhs.storage) {
        case (.strings(let a), .strings(let b)): a.elementsEqual(b)
        case (.bytes(let a), .bytes(let b)): a.elementsEqual(b)
        case (.integers(let a), .integers(let b)): a.elementsEqual(b)
        case (.doubles(let a), .doubles(let b)): a.elementsEqual(b) { $0.bitPattern == $1.bitPattern }
        case (.bools(let a), .bools(let b)): a.elementsEqual(b)
        default: false
        }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(valueType)
        hasher.combine(count)
        switch storage {
        case .strings(let v): for value in v { hasher.combine(value) }
        case .bytes(let v): for value in v { hasher.combine(value) }
        case .integers(let v): for value in v { hasher.combine(value) }
        case .doubles(let v): for value in v { hasher.combine(value.bitPattern) }
        case .bools(let v): for value in v { hasher.combine(value) }
        }
    }
}

extension FieldValue: CustomDebugStringConvertible {
    /// The value as the constructor that makes it: `.strings(["a", "b"])`, `.integers([7])`.
    public var debugDescription: String {
        let (constructor, values) = switch storage {
        case .strings(let v): ("strings", v.array.debugDescription)
        case .bytes(let v): ("bytes", v.array.debugDescription)
        case .integers(let v): ("integers", v.array.debugDescription)
        case .doubles(let v): ("doubles", v.array.debugDescription)
        case .bools(let v): ("bools", v.array.debugDescription)
        }
        return ".\(constructor)(\(values))"
    }
}

/// The bytes as lowercase hex digits.
package func hexString(_ bytes: some Sequence<UInt8>) -> String {
    var text = [UInt8]()
    text.reserveCapacity(2 * bytes.underestimatedCount)
    for byte in bytes {
        text.append(JSONValue.hexDigit(byte >> 4))
        text.append(JSONValue.hexDigit(byte & 0xF))
    }
    return String(decoding: text, as: UTF8.self)
}
