// The package's one conversion of a `Duration` to whole units: everything that needs a
// duration in nanoseconds or milliseconds (deadlines, timers, messages) goes through here.

extension Duration {
    /// The duration in nanoseconds, negative values as 0 and huge ones as `Int64.max`.
    public var clampedNanoseconds: Int64 {
        let (seconds, attoseconds) = components
        guard seconds >= 0 else { return 0 }
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return .max }
        let (sum, overflow2) = whole.addingReportingOverflow(attoseconds / 1_000_000_000)
        return overflow2 ? .max : sum
    }

    /// The duration in whole milliseconds, rounded half up (a negative duration as 0).
    public var roundedMilliseconds: Int64 {
        let nanoseconds = clampedNanoseconds
        return nanoseconds / 1_000_000 + (nanoseconds % 1_000_000 >= 500_000 ? 1 : 0)
    }

    /// The duration in seconds, as a `Double`.
    public var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }

    /// The duration in whole milliseconds, rounded, for messages: `200 ms`. (A client's
    /// deadline arrives a few microseconds short; `0.199989584 seconds` helps nobody.)
    public var millisecondsText: String { "\(roundedMilliseconds) ms" }
}
