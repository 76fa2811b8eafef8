import Foundation
import HekaClient
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

    @Test("raven(extra:) and captureStack(extra:) take runtime values as they are")
    func plainValuesInExtra() async throws {
        let (client, stream) = try ravenClient()
        let order = 1234, total = 9.5, user = "ann", coupon: String? = nil, items = ["apple", "pear"]
        client.raven("checkout failed", extra: ["order": order, "total": total, "user": user, "coupon": coupon,
                                                "items": items, "literal": true])
        _ = try? client.captureStack("wrapped", extra: ["order": order]) { throw CheckoutError("declined") }
        _ = try? await client.captureStack("async", extra: ["order": order]) { () async throws -> Void in
            throw CheckoutError("declined")
        }
        client.flush(timeout: .symbolication)
        let events = try stream.messages.map { try sentryEvent(of: $0) }
        #expect(events.count == 3)
        let extra = try #require(events.first?["extra"] as? [String: Any])
        #expect(extra["order"] as? Int == 1234 && extra["total"] as? Double == 9.5 && extra["user"] as? String == "ann")
        #expect(extra["coupon"] is NSNull && extra["items"] as? [String] == ["apple", "pear"] && extra["literal"] as? Bool == true)
        #expect(events.dropFirst().allSatisfy { ($0["extra"] as? [String: Any])?["order"] as? Int == 1234 })
    }
}
