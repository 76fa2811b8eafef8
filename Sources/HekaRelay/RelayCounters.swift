import CoreMetrics
import HekaPlatform

/// The relay's counts: what the summary line prints and what goes to swift-metrics
/// (`heka_relay_<name>` counters; the spool's size as a `heka_relay_spooled` gauge,
/// recorded at most once a second, by ``publish(force:)``). With a `HekaMetricsFactory`
/// as the factory, they are Heka `counter` and `gauge` messages.
public final class RelayCounters: Sendable {
    /// One snapshot of the counts.
    public struct Snapshot: Sendable, Equatable {
        /// Messages read from the inputs.
        public var received = 0
        /// Messages neither a stack trace nor selected by the match.
        public var skipped = 0
        /// Bytes in the inputs that were not messages.
        public var problems = 0
        /// Events Sentry accepted (2xx).
        public var forwarded = 0
        /// 429 answers (the event waits for the limit to pass).
        public var rateLimited = 0
        /// Sends to try again (5xx, timeouts, refused connections).
        public var retried = 0
        /// Events Sentry refused for good (4xx other than 429), each reported.
        public var rejected = 0
        /// Selected messages that could not be sent (no DSN, a bad payload) or that the
        /// full spool refused, each reported.
        public var dropped = 0
        /// Events in the spool now.
        public var spooled = 0

        /// `received 10, forwarded 8, rate limited 0, retried 1, spooled 2, rejected 0, dropped 0`.
        public var line: String {
            var parts = ["received \(received)", "forwarded \(forwarded)", "rate limited \(rateLimited)",
                         "retried \(retried)", "spooled \(spooled)", "rejected \(rejected)", "dropped \(dropped)"]
            if skipped > 0 { parts.append("skipped \(skipped)") }
            if problems > 0 { parts.append("problems \(problems)") }
            return parts.joined(separator: ", ")
        }
    }

    /// The counts one can add to.
    public enum Count: String, Sendable, CaseIterable {
        case received, skipped, problems, forwarded, rateLimited = "rate_limited", retried, rejected, dropped

        fileprivate func add(_ amount: Int, to snapshot: inout Snapshot) {
            switch self {
            case .received: snapshot.received += amount
            case .skipped: snapshot.skipped += amount
            case .problems: snapshot.problems += amount
            case .forwarded: snapshot.forwarded += amount
            case .rateLimited: snapshot.rateLimited += amount
            case .retried: snapshot.retried += amount
            case .rejected: snapshot.rejected += amount
            case .dropped: snapshot.dropped += amount
            }
        }
    }

    private let counts = ConditionLock(Snapshot())
    private let metrics: [Count: Counter]
    private let spooledGauge: Gauge
    /// The spool's size last recorded to the gauge, and when.
    private let recorded = LockedValue<(count: Int, at: MonotonicInstant)?>(nil)

    /// Counters, reported as `heka_relay_*` to `factory`: by default the bootstrapped
    /// metrics backend.
    public init(factory: any MetricsFactory = MetricsSystem.factory) {
        metrics = Dictionary(uniqueKeysWithValues: Count.allCases.map {
            ($0, Counter(label: "heka_relay_\($0.rawValue)", factory: factory))
        })
        spooledGauge = Gauge(label: "heka_relay_spooled", factory: factory)
    }

    /// Adds `amount` to one count.
    public func add(_ count: Count, _ amount: Int = 1) {
        guard amount != 0 else { return }
        counts.withLock { count.add(amount, to: &$0) }
        counts.broadcast()
        metrics[count]?.increment(by: amount)
    }

    /// Sets the spool's size (recorded to the gauge by ``publish(force:)``).
    public func setSpooled(_ count: Int) {
        counts.withLock { $0.spooled = count }
        counts.broadcast()
    }

    /// Records the spool's size to the gauge if it changed since it was last recorded, at
    /// most once a second unless `force`; returns when to call again for a change not
    /// recorded yet (the relay's loop calls it each round, and with `force` as it stops).
    @discardableResult
    public func publish(force: Bool = false) -> MonotonicInstant? {
        let count = counts.withLock { $0.spooled }
        let now = MonotonicInstant.now()
        let (record, due) = recorded.withLock { last -> (Bool, MonotonicInstant?) in
            guard last?.count != count else { return (false, nil) }
            if let last, !force, now < last.at.advanced(by: .seconds(1)) {
                return (false, last.at.advanced(by: .seconds(1)))
            }
            last = (count, now)
            return (true, nil)
        }
        if record { spooledGauge.record(count) }
        return due
    }

    /// The counts now.
    public var snapshot: Snapshot { counts.withLock { $0 } }

    /// Waits until the counts satisfy `condition` or `timeout` passes; returns the counts
    /// then (for a program or a test waiting for the relay to get somewhere).
    public func wait(timeout: Duration, until condition: (Snapshot) -> Bool) -> Snapshot {
        counts.withLock(waitingUntil: { condition($0) }, deadline: .after(timeout)) { snapshot, _ in snapshot }
    }
}
