import Testing

@testable import HekaClient

@Suite("FieldValue")
struct FieldValueTests {
    @Test("one value is the same value, with the same hash, however it was built")
    func oneValueAnyWay() {
        let strings: [FieldValue] = ["a", FieldValue("a"), .strings(["a"]), FieldValue(["a"]), ["a"],
                                     FieldValue(joining: ["a"])]
        let integers: [FieldValue] = [7, FieldValue(7), FieldValue(UInt8(7)), .integers([7]), FieldValue([7]), [7]]
        let doubles: [FieldValue] = [2.5, FieldValue(2.5), .doubles([2.5]), FieldValue([2.5]), [2.5]]
        let bools: [FieldValue] = [true, FieldValue(true), .bools([true]), FieldValue([true]), [true]]
        let bytes: [FieldValue] = [FieldValue(bytes: [1, 2]), .bytes([[1, 2]])]
        for group in [strings, integers, doubles, bools, bytes] {
            #expect(Set(group).count == 1)
            #expect(group.allSatisfy { $0 == group[0] && $0.count == 1 })
        }
        #expect(Set(strings + integers + doubles + bools + bytes).count == 5)
    }

    @Test("a single value is held inline; none or several in an array")
    func storage() {
        #expect(isInline(FieldValue("a")) && isInline(.strings(["a"])) && isInline(.integers([1])))
        #expect(!isInline(.strings([])) && !isInline(.strings(["a", "b"])) && !isInline(["a", "b"]))
    }

    private func isInline(_ value: FieldValue) -> Bool {
        switch value.storage {
        case .strings(.one), .bytes(.one), .integers(.one), .doubles(.one), .bools(.one): true
        default: false
        }
    }

    @Test("the wire type and the values tell values apart")
    func inequality() {
        #expect(FieldValue(1) != FieldValue(1.0) && FieldValue("1") != FieldValue(1))
        #expect(FieldValue.strings([]) != .integers([]) && FieldValue.strings([]) == .strings([]))
        #expect(FieldValue.strings(["a"]) != .strings(["a", "a"]) && FieldValue.integers([1, 2]) != .integers([2, 1]))
        #expect(FieldValue(bytes: [1]) != FieldValue(bytes: [1, 0]))
    }

    @Test("doubles compare by bit pattern, one or several")
    func doublesByBits() {
        #expect(FieldValue(Double.nan) == .doubles([.nan]) && FieldValue.doubles([1, .nan]) == .doubles([1, .nan]))
        #expect(FieldValue(0.0) != FieldValue(-0.0))
        #expect(Set([FieldValue(Double.nan), .doubles([.nan])]).count == 1)
    }

    @Test("the accessors read the first value or all of them, of their own type only")
    func accessors() {
        let one: FieldValue = "x"
        #expect(one.string == "x" && one.strings == ["x"] && one.integer == nil && one.integers == nil)
        let several: FieldValue = [1, 2, 3]
        #expect(several.integer == 1 && several.integers == [1, 2, 3] && several.count == 3)
        #expect(several.valueType == .integer && several.doubles == nil && several.string == nil)
        #expect(FieldValue(2.5).double == 2.5 && FieldValue.doubles([1, 2]).doubles == [1, 2])
        #expect(FieldValue(false).bool == false && FieldValue.bools([true, false]).bools == [true, false])
        #expect(FieldValue(bytes: [9]).byteValue == [9] && FieldValue.bytes([[1], [2]]).bytes == [[1], [2]])
        let empty = FieldValue.integers([])
        #expect(empty.integer == nil && empty.integers == [] && empty.count == 0 && empty.valueType == .integer)
    }

    @Test("the debug description is the constructor that makes the value")
    func debugDescription() {
        #expect(String(reflecting: FieldValue("a")) == #".strings(["a"])"#)
        #expect(String(reflecting: FieldValue.integers([1, 2])) == ".integers([1, 2])")
        #expect(String(reflecting: FieldValue(bytes: [0, 255])) == ".bytes([[0, 255]])")
        #expect(String(reflecting: FieldValue.bools([])) == ".bools([])")
        #expect(String(reflecting: FieldValue(0.5)) == ".doubles([0.5])")
    }

    @Test("text values: one string per value, bytes in hex")
    func textValues() {
        #expect(FieldValue("a").textValues == ["a"] && FieldValue.strings(["a", "b"]).textValues == ["a", "b"])
        #expect(FieldValue(bytes: [0, 0xAB]).textValues == ["00ab"])
        #expect(FieldValue.integers([1, -2]).textValues == ["1", "-2"] && FieldValue(true).textValues == ["true"])
        #expect(FieldValue(1.5).textValues == ["1.5"])
    }
}
