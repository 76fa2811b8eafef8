extension FieldValue {
    /// The values of one wire type: a single value held inline, or several in an array.
    ///
    /// A field nearly always has one value; keeping it out of an array saves the array's
    /// allocation and its release, which cost more than the rest of building the field.
    /// The encoders and the matcher read either form through the collection.
    enum Values<Element: Sendable>: Sendable, RandomAccessCollection {
        case one(Element)
        /// Never one element: ``init(_:)`` keeps a single value inline.
        case many([Element])

        /// The values of `array`, a single one inline.
        init(_ array: [Element]) {
            self = array.count == 1 ? .one(array[0]) : .many(array)
        }

        /// The values as an array (a new one for a single value).
        var array: [Element] {
            switch self {
            case .one(let value): [value]
            case .many(let values): values
            }
        }

        var startIndex: Int { 0 }

        var endIndex: Int {
            switch self {
            case .one: 1
            case .many(let values): values.count
            }
        }

        /// Calls `body` with each value in order. Unlike the iterator that `for … in` makes,
        /// this reads a single value in place instead of copying the values first.
        @inline(__always)
        func forEach(_ body: (Element) throws -> Void) rethrows {
            switch self {
            case .one(let value): try body(value)
            case .many(let values): for value in values { try body(value) }
            }
        }

        /// Combines the values in order, reading them in place as ``forEach(_:)`` does.
        @inline(__always)
        func reduce<Result>(_ initial: Result, _ next: (Result, Element) throws -> Result) rethrows -> Result {
            switch self {
            case .one(let value): try next(initial, value)
            case .many(let values): try values.reduce(initial, next)
            }
        }

        subscript(position: Int) -> Element {
            switch self {
            case .one(let value):
                precondition(position == 0, "index out of range")
                return value
            case .many(let values): return values[position]
            }
        }
    }
}
