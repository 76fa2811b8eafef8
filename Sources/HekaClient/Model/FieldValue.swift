/// The value of one Heka field: one or more values of a single wire type.
///
/// Heka's `Field` is repeated by nature, so every case holds an array; a single value is an
/// array of one. Build values with the literals (`"text"`, `42`, `3.5`, `true`,
/// `["a", "b"]`) or the initialisers, and read them with ``string``, ``integer``, ….
public enum FieldValue: Sendable, Hashable {
    /// `STRING` values.
    case strings([String])
    /// `BYTES` values.
    case bytes([[UInt8]])
    /// `INTEGER` values (64-bit).
    case integers([Int64])
    /// `DOUBLE` values.
    case doubles([Double])
    /// `BOOL` values. heka-py sent Python bools as `INTEGER`; this client sends `BOOL`.
    case bools([Bool])

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
    public init(_ value: String) { self = .strings([value]) }
    /// One integer value.
    public init(_ value: some BinaryInteger) { self = .integers([Int64(clamping: value)]) }
    /// One double value.
    public init(_ value: Double) { self = .doubles([value]) }
    /// One bool value.
    public init(_ value: Bool) { self = .bools([value]) }
    /// One bytes value.
    public init(bytes value: some Sequence<UInt8>) { self = .bytes([Array(value)]) }

    /// The wire type of these values.
    public var valueType: ValueType {
        switch self {
        case .strings: .string
        case .bytes: .bytes
        case .integers: .integer
        case .doubles: .double
        case .bools: .bool
        }
    }

    /// How many values the field holds.
    public var count: Int {
        switch self {
        case .strings(let v): v.count
        case .bytes(let v): v.count
        case .integers(let v): v.count
        case .doubles(let v): v.count
        case .bools(let v): v.count
        }
    }

    /// The first value when it is a string.
    public var string: String? { if case .strings(let v) = self { v.first } else { nil } }
    /// The first value when it is an integer.
    public var integer: Int64? { if case .integers(let v) = self { v.first } else { nil } }
    /// The first value when it is a double.
    public var double: Double? { if case .doubles(let v) = self { v.first } else { nil } }
    /// The first value when it is a bool.
    public var bool: Bool? { if case .bools(let v) = self { v.first } else { nil } }
    /// The first value when it is bytes.
    public var byteValue: [UInt8]? { if case .bytes(let v) = self { v.first } else { nil } }

    /// The values as text, one element per value: what `heka send` and `heka cat` print.
    public var textValues: [String] {
        switch self {
        case .strings(let v): v
        case .bytes(let v): v.map(hexString)
        case .integers(let v): v.map { String($0) }
        case .doubles(let v): v.map { String($0) }
        case .bools(let v): v.map { String($0) }
        }
    }

    /// Whether two values hold the same wire data. Doubles compare by bit pattern, so a NaN
    /// read back from the wire equals the NaN that was written.
    public static func == (lhs: FieldValue, rhs: FieldValue) -> Bool {
        switch (lhs, rhs) {
        case (.strings(let a), .strings(let b)): a == b
        case (.bytes(let a), .bytes(let b)): a == b
        case (.integers(let a), .integers(let b)): a == b
        case (.doubles(let a), .doubles(let b)): a.map(\.bitPattern) == b.map(\.bitPattern)
        case (.bools(let a), .bools(let b)): a == b
        default: false
        }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(valueType)
        switch self {
        case .strings(let v): hasher.combine(v)
        case .bytes(let v): hasher.combine(v)
        case .integers(let v): hasher.combine(v)
        case .doubles(let v): hasher.combine(v.map(\.bitPattern))
        case .bools(let v): hasher.combine(v)
        }
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
