extension FieldValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral
{
    public init(stringLiteral value: String) { self.init(value) }
    public init(integerLiteral value: Int64) { self.init(value) }
    public init(floatLiteral value: Double) { self.init(value) }
    public init(booleanLiteral value: Bool) { self.init(value) }

    /// An array literal joins its elements into one field of several values:
    /// `["a", "b"]` is `.strings(["a", "b"])`, `[1, 2.5]` is `.doubles([1, 2.5])`.
    /// Elements of mixed kinds that do not widen to one type (say a string and a bool)
    /// become strings, each element's ``textValues``, rather than being refused.
    public init(arrayLiteral elements: FieldValue...) {
        self.init(joining: elements)
    }

    /// Joins several values into one field, widening as the array literal does.
    public init(joining elements: [FieldValue]) {
        let types = Set(elements.map(\.valueType))
        if types.count == 1, let type = types.first, type != .double {
            switch type {
            case .string: self = .strings(elements.flatMap(\.textValues))
            case .bytes: self = .bytes(elements.flatMap { $0.bytes ?? [] })
            case .integer: self = .integers(elements.flatMap { $0.integers ?? [] })
            default: self = .bools(elements.flatMap { $0.bools ?? [] })
            }
        } else if !types.isEmpty, types.isSubset(of: [.integer, .double]) {
            self = .doubles(elements.flatMap { $0.doubles ?? $0.integers?.map(Double.init) ?? [] })
        } else {
            self = .strings(elements.flatMap(\.textValues))
        }
    }
}

extension FieldValue {
    /// Several string values.
    public init(_ values: [String]) { self = .strings(values) }
    /// Several integer values.
    public init(_ values: [some BinaryInteger]) { self = .integers(values.map { Int64(clamping: $0) }) }
    /// Several double values.
    public init(_ values: [Double]) { self = .doubles(values) }
    /// Several bool values.
    public init(_ values: [Bool]) { self = .bools(values) }
}
