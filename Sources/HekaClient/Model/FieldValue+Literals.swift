extension FieldValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral
{
    public init(stringLiteral value: String) { self = .strings([value]) }
    public init(integerLiteral value: Int64) { self = .integers([value]) }
    public init(floatLiteral value: Double) { self = .doubles([value]) }
    public init(booleanLiteral value: Bool) { self = .bools([value]) }

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
            case .bytes: self = .bytes(elements.flatMap(\.byteElements))
            case .integer: self = .integers(elements.flatMap(\.integerElements))
            default: self = .bools(elements.flatMap(\.boolElements))
            }
        } else if !types.isEmpty, types.isSubset(of: [.integer, .double]) {
            self = .doubles(elements.flatMap(\.numericElements))
        } else {
            self = .strings(elements.flatMap(\.textValues))
        }
    }

    private var byteElements: [[UInt8]] {
        guard case .bytes(let values) = self else { return [] }
        return values
    }

    private var integerElements: [Int64] {
        guard case .integers(let values) = self else { return [] }
        return values
    }

    private var boolElements: [Bool] {
        guard case .bools(let values) = self else { return [] }
        return values
    }

    private var numericElements: [Double] {
        switch self {
        case .integers(let v): v.map { Double($0) }
        case .doubles(let v): v
        default: []
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
