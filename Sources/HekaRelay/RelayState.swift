import HekaPlatform

/// What the relay's delivery loop knows, behind its lock: the events in flight, the spool's
/// cursor, the DSNs held back and the destinations' rate limits and failures.
struct RelayState: Sendable {
    /// The categories an event item counts against: `error` for events with an exception,
    /// `default` for message events; a limit on either holds the relay's events back.
    static let categories = [RateLimits.errorCategory, "default"]

    /// A DSN held back: until when, and its first row the cursor passed over.
    struct Hold: Sendable {
        var until: MonotonicInstant
        var first: Int64
    }

    /// A destination's failures in a row, the end of its backoff, and when the last was
    /// counted (an answer to a request sent before that is not counted again).
    struct Failure: Sendable {
        var count: Int
        var until: MonotonicInstant
        var countedAt: MonotonicInstant
    }

    /// The events being sent, and those answered whose rows are not deleted yet.
    var inFlight: Set<Int64> = []
    /// Answered events (accepted, or refused for good), deleted at the next plan in one
    /// transaction; they stay in ``inFlight`` until then, so that none is sent twice.
    var answered: [Int64] = []
    /// Every row up to this id was taken, answered, or belongs to a DSN in ``held``: the
    /// next plan reads after it. It goes back when an event returns to the queue or a hold
    /// ends.
    var cursor: Int64 = 0
    /// Counts the times the cursor went back, so that a plan that read before one does not
    /// move it forward again past the event that returned.
    var rewinds = 0
    /// The DSNs held back (rate limit, backoff); the spool passes over their rows.
    var held: [String: Hold] = [:]
    /// The earliest end of a hold, so that a plan looks through ``held`` only when one ended.
    var soonestHoldEnd: MonotonicInstant?
    /// The destinations of the DSNs met, so that a DSN is parsed once (a bounded number).
    var destinations: [String: SentryDestination] = [:]
    var limits = RateLimits()
    var failures: [String: Failure] = [:]
    var stopping = false
    var inputDone = false

    /// Moves the cursor back to just before `id` (at the furthest).
    mutating func rewind(to id: Int64) {
        cursor = min(cursor, id)
        rewinds += 1
    }

    /// An event that was sent and must be sent again: no longer in flight, and read again.
    mutating func returnToQueue(_ id: Int64) {
        inFlight.remove(id)
        rewind(to: id - 1)
    }

    /// Holds `dsn`'s events back until `until`; `first` is the row that found it held.
    mutating func hold(_ dsn: String, until: MonotonicInstant, first: Int64) {
        let earlier = held[dsn]?.first ?? first
        held[dsn] = Hold(until: max(until, held[dsn]?.until ?? until), first: min(first, earlier))
        soonestHoldEnd = min(soonestHoldEnd ?? until, until)
    }

    /// Whether the row `id` of `dsn` is held back; if so, the hold's end reads again from
    /// it at the latest (an event that returned while its DSN was held is behind the first
    /// row that found the hold).
    mutating func passOver(_ dsn: String, _ id: Int64) -> Bool {
        guard var hold = held[dsn] else { return false }
        if id < hold.first {
            hold.first = id
            held[dsn] = hold
        }
        return true
    }

    /// Ends the holds that are over: the cursor goes back to the first row any of them
    /// passed over; limits and failures that are over are forgotten.
    mutating func endHolds(now: MonotonicInstant) {
        guard let soonest = soonestHoldEnd, soonest <= now else { return }
        var first: Int64?
        for (dsn, hold) in held where hold.until <= now {
            held.removeValue(forKey: dsn)
            first = min(first ?? hold.first, hold.first)
        }
        soonestHoldEnd = held.values.map(\.until).min()
        if let first { rewind(to: first - 1) }
        limits.forget(before: now)
        // A failure is kept an hour after it was counted, so that a destination failing
        // again soon still backs off from where it was.
        failures = failures.filter { $0.value.until > now || now.nanoseconds - $0.value.countedAt.nanoseconds < 3_600_000_000_000 }
    }

    /// Until when `scope` may not be sent to (a rate limit or a backoff), or `nil`.
    func blockedUntil(_ scope: String, now: MonotonicInstant) -> MonotonicInstant? {
        var until = limits.limitedUntil(destination: scope, categories: Self.categories, now: now)
        if let failure = failures[scope], failure.until > now { until = max(until ?? failure.until, failure.until) }
        return until
    }

    /// Counts a failure of a request to `scope` sent at `sentAt` and sets its backoff; a
    /// request sent before the last failure was counted is not counted again (several in
    /// flight failing together are one failure). Returns the wait.
    mutating func recordFailure(_ scope: String, sentAt: MonotonicInstant, now: MonotonicInstant,
                                backoff: (Int) -> Duration) -> Duration {
        if let failure = failures[scope], sentAt < failure.countedAt {
            return .nanoseconds(max(0, failure.until.nanoseconds - now.nanoseconds))
        }
        let count = (failures[scope]?.count ?? 0) + 1
        let wait = backoff(count)
        failures[scope] = Failure(count: count, until: now.advanced(by: wait), countedAt: now)
        return wait
    }
}
