extension HekaMetricsFactory {
    /// How a ``HekaMetricsFactory`` sends its metrics.
    ///
    /// ```swift
    /// let factory = try HekaMetricsFactory(client: client)  // counters summed, sent every second
    /// let everyIncrement = try HekaMetricsFactory(client: client, configuration: .init(counters: .perIncrement))
    /// ```
    public struct Configuration: Sendable, Hashable {
        /// How counters (and floating-point counters) send their increments; default
        /// ``CounterMode/aggregating``, summed and sent once a second.
        public var counters: CounterMode

        /// - Parameter counters: how counters send their increments; default
        ///   ``CounterMode/aggregating``.
        public init(counters: CounterMode = .aggregating) {
            self.counters = counters
        }

        /// Counters summed in the process and sent once a second.
        public static let `default` = Configuration()
    }

    /// How counters send their increments: summed and sent once per interval, or one
    /// `counter` message per increment as heka-py's `incr` sends them.
    public struct CounterMode: Sendable, Hashable, CustomStringConvertible {
        enum Kind: Sendable, Hashable {
            case aggregating(interval: Duration?)
            case perIncrement
        }

        let kind: Kind

        /// Increments are summed in the process, per metric (label and dimensions), and each
        /// metric whose sum is not zero is sent as one `counter` message every `interval`, by
        /// a thread of the factory's own; ``HekaMetricsFactory/flush()`` sends the sums at
        /// once. `interval` is at least one millisecond.
        ///
        /// The sums are sent with `rate` 1. hekad's StatFilter reads a counter's `name` field
        /// and payload and ignores `rate`: it never scales a payload by 1/rate, so heka-py's
        /// sampled counters (rate < 1) were undercounted there unless the reader scaled them.
        /// An aggregated sum is no sample but every increment of the interval, so rate 1 is
        /// the truth and StatFilter's total is exact.
        public static func aggregating(every interval: Duration) -> CounterMode {
            CounterMode(kind: .aggregating(interval: max(interval, .milliseconds(1))))
        }

        /// ``aggregating(every:)`` one second: the default.
        public static let aggregating = aggregating(every: .seconds(1))

        /// Increments are summed as with ``aggregating``, but sent only when
        /// ``HekaMetricsFactory/flush()`` is called (or the client's `flush`/`close`): no
        /// thread; for a program that already has a loop of its own to flush from.
        public static let aggregatingUntilFlush = CounterMode(kind: .aggregating(interval: nil))

        /// One `counter` message per increment, exactly what `HekaClient.incr` sends:
        /// heka-py's behaviour, at the cost of a message per call.
        public static let perIncrement = CounterMode(kind: .perIncrement)

        /// `aggregating(every: 1.0 seconds)`, `aggregatingUntilFlush` or `perIncrement`.
        public var description: String {
            switch kind {
            case .aggregating(let interval?): "aggregating(every: \(interval))"
            case .aggregating(nil): "aggregatingUntilFlush"
            case .perIncrement: "perIncrement"
            }
        }
    }
}
