import HekaRaven
import Testing

/// Runtime values in `extra:`, made event values as they are.
@Suite struct EventValueConvertibleTests {
    @Test("runtime numbers, strings, bools and optionals become event values of their kind")
    func scalars() {
        let order = 42, total = 9.5, name = "ann", paid = false, coupon: String? = nil, small: UInt8 = 7
        let extra: [String: EventValue] = ["order": EventValue(order), "total": EventValue(total), "name": EventValue(name),
                                           "paid": EventValue(paid), "coupon": EventValue(coupon), "small": EventValue(small)]
        #expect(extra == ["order": .integer(42), "total": .double(9.5), "name": .string("ann"), "paid": .bool(false),
                          "coupon": .null, "small": .integer(7)])
        #expect(EventValue(UInt64.max) == .string("18446744073709551615"))
        #expect(EventValue(Optional(3)) == 3 && EventValue(Float(0.5)) == 0.5)
    }

    @Test("arrays and dictionaries of runtime values become lists and tables, members sorted")
    func collections() {
        let items = ["a", "b"], counts = ["z": 1, "a": 2], maybe: [Int?] = [1, nil]
        #expect(EventValue(items) == ["a", "b"] && EventValue(maybe) == [1, nil])
        #expect(EventValue(counts).description == #"{"a":2,"z":1}"#)
    }
}
