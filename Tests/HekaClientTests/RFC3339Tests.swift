import Testing

@testable import HekaClient

/// The one RFC 3339 writer: every precision, the calendar's edges, the ends of `Int64`, and
/// a second opinion from Python's `datetime`.
@Suite struct RFC3339Tests {
    @Test("each precision cuts the fraction to its digits, and seconds leave out the point", arguments: [
        (RFC3339.Precision.nanoseconds, "2026-11-22T00:14:50.029747174Z"),
        (.microseconds, "2026-11-22T00:14:50.029747Z"),
        (.milliseconds, "2026-11-22T00:14:50.029Z"),
        (.seconds, "2026-11-22T00:14:50Z"),
    ])
    func precisions(precision: RFC3339.Precision, expected: String) {
        #expect(RFC3339.format(nanoseconds: 1_795_306_490_029_747_174, precision: precision) == expected)
    }

    @Test("nanoseconds are the default: nine digits, leading zeros kept")
    func nineDigits() {
        #expect(RFC3339.format(nanoseconds: 1_795_306_490_029_747_174) == "2026-11-22T00:14:50.029747174Z")
        #expect(RFC3339.format(nanoseconds: 1_795_306_490_000_000_001) == "2026-11-22T00:14:50.000000001Z")
        #expect(RFC3339.format(nanoseconds: 1_795_306_490_999_999_999) == "2026-11-22T00:14:50.999999999Z")
        #expect(RFC3339.format(nanoseconds: 1_795_306_490_999_999_999, precision: .seconds) == "2026-11-22T00:14:50Z")
    }

    @Test("the epoch")
    func epoch() {
        #expect(RFC3339.format(nanoseconds: 0) == "1970-01-01T00:00:00.000000000Z")
        #expect(RFC3339.format(nanoseconds: 0, precision: .seconds) == "1970-01-01T00:00:00Z")
    }

    @Test("times before 1970 count back from the epoch, in the second that holds them")
    func beforeTheEpoch() {
        #expect(RFC3339.format(nanoseconds: -1) == "1969-12-31T23:59:59.999999999Z")
        #expect(RFC3339.format(nanoseconds: -1, precision: .seconds) == "1969-12-31T23:59:59Z")
        #expect(RFC3339.format(nanoseconds: -1, precision: .microseconds) == "1969-12-31T23:59:59.999999Z")
        #expect(RFC3339.format(nanoseconds: -1_000_000_000) == "1969-12-31T23:59:59.000000000Z")
        #expect(RFC3339.format(nanoseconds: -1_000_000_001) == "1969-12-31T23:59:58.999999999Z")
        #expect(RFC3339.format(nanoseconds: -86_400_000_000_000) == "1969-12-31T00:00:00.000000000Z")
        #expect(RFC3339.format(nanoseconds: -2_203_891_200_000_000_000, precision: .seconds) == "1900-03-01T00:00:00Z")
    }

    @Test("leap days: every fourth year, not every hundredth, but every four hundredth")
    func leapYears() {
        let second: Int64 = 1_000_000_000
        #expect(RFC3339.format(nanoseconds: 1_709_164_800 * second, precision: .seconds) == "2024-02-29T00:00:00Z")
        #expect(RFC3339.format(nanoseconds: 1_709_251_199 * second, precision: .seconds) == "2024-02-29T23:59:59Z")
        #expect(RFC3339.format(nanoseconds: 1_709_251_200 * second, precision: .seconds) == "2024-03-01T00:00:00Z")
        #expect(RFC3339.format(nanoseconds: 951_825_600 * second, precision: .seconds) == "2000-02-29T12:00:00Z")
        #expect(RFC3339.format(nanoseconds: 4_107_542_399 * second, precision: .seconds) == "2100-02-28T23:59:59Z")
        #expect(RFC3339.format(nanoseconds: 4_107_542_400 * second, precision: .seconds) == "2100-03-01T00:00:00Z")
    }

    @Test("the ends of Int64 are written, not trapped on")
    func extremes() {
        #expect(RFC3339.format(nanoseconds: .max) == "2262-04-11T23:47:16.854775807Z")
        #expect(RFC3339.format(nanoseconds: .min) == "1677-09-21T00:12:43.145224192Z")
        #expect(RFC3339.format(nanoseconds: .max, precision: .seconds) == "2262-04-11T23:47:16Z")
        #expect(RFC3339.format(nanoseconds: .min, precision: .seconds) == "1677-09-21T00:12:43Z")
        // And read back.
        #expect(RFC3339.parse(RFC3339.format(nanoseconds: .max)) == .max)
        #expect(RFC3339.parse(RFC3339.format(nanoseconds: .min)) == .min)
    }

    @Test("write appends to what is already there")
    func appends() {
        var out = Array("time=".utf8)
        RFC3339.write(nanoseconds: 0, precision: .milliseconds, to: &out)
        #expect(String(decoding: out, as: UTF8.self) == "time=1970-01-01T00:00:00.000Z")
    }

    @Test("a sample across all of Int64 agrees with Python's datetime, to the nanosecond and the second")
    func agreesWithPython() {
        var rng = SeededGenerator(seed: 3339)
        var sample: [Int64] = [
            0, -1, 1, .max, .min, 951_782_400_000_000_000, 4_107_542_400_000_000_000, -2_203_891_200_000_000_000,
        ]
        for _ in 0..<300 { sample.append(Int64.random(in: .min ... .max, using: &rng)) }
        // And more densely within six years of the epoch, where a sign error shows first.
        for _ in 0..<100 {
            sample.append(Int64.random(in: -200_000_000_000_000_000...200_000_000_000_000_000, using: &rng))
        }
        let script = """
            import sys
            from datetime import datetime, timedelta
            epoch = datetime(1970, 1, 1)
            for line in sys.stdin.read().split():
                n = int(line)
                day = (epoch + timedelta(seconds=n // 10**9)).isoformat(timespec="seconds")
                print(day + ".%09dZ" % (n % 10**9), day + "Z")
            """
        let input = sample.map(String.init).joined(separator: "\n")
        let lines = runPython(script, input: Array(input.utf8)).split(separator: "\n")
        #expect(lines.count == sample.count)
        for (nanoseconds, line) in zip(sample, lines) {
            let python = line.split(separator: " ").map(String.init)
            let ours = [RFC3339.format(nanoseconds: nanoseconds), RFC3339.format(nanoseconds: nanoseconds, precision: .seconds)]
            #expect(python == ours, "\(nanoseconds)")
        }
    }
}
