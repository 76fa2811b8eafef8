import HekaClient
import HekaPlatform
import HekaRaven

/// The relay: accepted events go to the spool first, then to Sentry, at most
/// ``Settings/maximumInFlight`` requests at a time; an event leaves the spool only when
/// Sentry answered it. Rate limits are kept per destination and category, failures back
/// off exponentially with jitter per destination.
public final class Relay: Sendable {
    /// How the relay delivers.
    public struct Settings: Sendable {
        /// Requests in flight at once.
        public var maximumInFlight = 8
        /// The first wait after a failed send to a destination; it doubles with each
        /// failure in a row, up to ``maximumBackoff``, and is shortened by a random part of
        /// up to half (jitter, so that relays do not retry in step).
        public var backoff: Duration = .seconds(1)
        /// The longest wait between tries.
        public var maximumBackoff: Duration = .seconds(60)
        /// Stop once the spool is empty and ``inputFinished()`` was called (a file read to
        /// its end, or nothing to read).
        public var exitWhenEmpty = false

        /// The defaults: 8 in flight, backoff from 1 s to 60 s.
        public init() {}
    }

    private struct State: Sendable {
        /// The events being sent, and those answered whose rows are not deleted yet.
        var inFlight: Set<Int64> = []
        /// Answered events (accepted, or refused for good), deleted at the next plan in one
        /// transaction; they stay in ``inFlight`` until then, so that none is sent twice.
        var answered: [Int64] = []
        /// Every row up to this id was taken, answered, or belongs to a DSN in ``held``: the
        /// next plan reads after it. It goes back when an event returns to the queue or a
        /// hold ends, so that the queue is read from the start again.
        var cursor: Int64 = 0
        /// Counts the times the cursor went back, so that a plan that read before one does
        /// not move it forward again past the event that returned.
        var rewinds = 0
        /// The DSNs held back (rate limit, backoff) and until when; their rows are not read.
        var held: [String: MonotonicInstant] = [:]
        /// The destinations of the DSNs met, so that a DSN is parsed once (a bounded number).
        var destinations: [String: SentryDestination] = [:]
        var limits = RateLimits()
        var failures: [String: (count: Int, until: MonotonicInstant)] = [:]
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
    }

    /// The spool.
    public let spool: Spool
    /// The counts.
    public let counters: RelayCounters
    private let transport: SentryTransport
    private let settings: Settings
    private let state = LockedValue(State())
    private let wake = WakeSignal()
    private let report: @Sendable (String) -> Void

    /// A relay delivering what `spool` holds through `transport`; `report` gets one line per
    /// event refused or dropped.
    public init(spool: Spool, transport: SentryTransport, settings: Settings, counters: RelayCounters = RelayCounters(),
                report: @escaping @Sendable (String) -> Void) {
        self.spool = spool
        self.transport = transport
        self.settings = settings
        self.counters = counters
        self.report = report
        counters.setSpooled(spool.totals.count)
    }

    /// Whether ``stop()`` was called.
    public var isStopping: Bool { state.withLock { $0.stopping } }

    /// Spools `events` (compressed, in one transaction) for delivery; what the full spool
    /// refuses is counted as dropped and reported. Returns how many were spooled.
    @discardableResult
    public func submit(_ events: [RelayEvent]) -> Int {
        guard !events.isEmpty else { return 0 }
        let written: Int
        do {
            written = try spool.add(events.map(PackedEvent.init))
        } catch {
            report("\(events.count) event\(events.count == 1 ? "" : "s") not spooled: \(error)")
            counters.add(.dropped, events.count)
            return 0
        }
        if written < events.count {
            counters.add(.dropped, events.count - written)
            report("spool full (\(spool.maximumBytes) bytes): \(events.count - written) event(s) dropped, "
                + "the first \(events[written].eventID)")
        }
        counters.setSpooled(spool.totals.count)
        wake.signal()
        return written
    }

    /// Says that no more events will be submitted (for ``Settings/exitWhenEmpty``).
    public func inputFinished() {
        state.withLock { $0.inputDone = true }
        wake.signal()
    }

    /// Stops sending: ``run()`` returns once the requests in flight are answered (or time
    /// out); whatever was not accepted stays in the spool for the next run.
    public func stop() {
        state.withLock { $0.stopping = true }
        wake.signal()
    }

    /// Delivers until ``stop()`` (or, with ``Settings/exitWhenEmpty``, until everything is
    /// delivered), then waits for the requests in flight.
    public func run() async {
        await withDiscardingTaskGroup { group in
            while true {
                let plan = planNext()
                if plan.finished { break }
                for entry in plan.entries {
                    group.addTask { await self.deliver(entry.entry, to: entry.destination) }
                }
                var wakeAt = plan.wakeAt
                // While events are sent, each answer brings the loop back here; idle, a
                // change of the spool's size not recorded yet needs a wake of its own.
                if let due = counters.publish(), plan.idle { wakeAt = min(wakeAt ?? due, due) }
                await wake.wait(until: wakeAt)
            }
        }
        deleteAnswered()
        counters.publish(force: true)
    }

    private struct Plan {
        var entries: [(entry: Spool.Entry, destination: SentryDestination)] = []
        var wakeAt: MonotonicInstant?
        var finished = false
        /// Nothing to send and nothing in flight.
        var idle = false
    }

    /// The events to send now, and when to look again.
    private func planNext() -> Plan {
        var plan = Plan()
        deleteAnswered()
        let now = MonotonicInstant.now()
        let (stopping, inputDone, inFlight) = state.withLock { state in
            let ended = state.held.filter { $0.value <= now }
            if !ended.isEmpty {
                for dsn in ended.keys { state.held.removeValue(forKey: dsn) }
                state.rewind(to: 0)
            }
            return (state.stopping, state.inputDone, state.inFlight)
        }
        if stopping {
            plan.finished = inFlight.isEmpty
            return plan
        }
        let free = settings.maximumInFlight - inFlight.count
        // A round that finds a DSN held back reads on past its events; after four, the loop
        // comes straight back rather than wait for an answer or a hold's end.
        var readAll = true
        for round in 0..<4 where plan.entries.count < free {
            let wanted = free - plan.entries.count
            let (after, rewinds, excluding, held) = state.withLock {
                ($0.cursor, $0.rewinds, $0.inFlight, Set($0.held.keys))
            }
            let candidates: [Spool.Entry]
            do {
                candidates = try spool.next(limit: wanted, after: after, excluding: excluding, skipping: held)
            } catch {
                report("\(error)")
                plan.wakeAt = .after(.seconds(1))
                return plan
            }
            if candidates.isEmpty && inFlight.isEmpty && plan.entries.isEmpty && inputDone
                && settings.exitWhenEmpty && spool.totals.count == 0 {
                plan.finished = true
                return plan
            }
            take(candidates, free: free, now: now, rewinds: rewinds, into: &plan)
            if candidates.count < wanted { break }
            if round == 3 && plan.entries.count < free { readAll = false }
        }
        if !readAll { wake.signal() }
        state.withLock { state in
            if let soonest = state.held.values.min() { plan.wakeAt = min(plan.wakeAt ?? soonest, soonest) }
            plan.idle = plan.entries.isEmpty && state.inFlight.isEmpty
        }
        return plan
    }

    /// Adds to `plan` the candidates whose destination may be sent to now; the DSNs held
    /// back (rate limit, backoff) are remembered until their hold ends. The cursor moves past
    /// every candidate dealt with, unless it went back since it was read (`rewinds`).
    private func take(_ candidates: [Spool.Entry], free: Int, now: MonotonicInstant, rewinds: Int,
                      into plan: inout Plan) {
        state.withLock { state in
            var last: Int64 = 0
            defer { if state.rewinds == rewinds { state.cursor = max(state.cursor, last) } }
            for entry in candidates {
                guard plan.entries.count < free else { break }
                last = entry.id
                if state.held[entry.event.dsn] != nil { continue }
                guard let destination = state.destinations[entry.event.dsn] ?? destination(of: entry) else {
                    // Deleted with the answered ones: in flight until then.
                    state.inFlight.insert(entry.id)
                    state.answered.append(entry.id)
                    continue
                }
                if state.destinations.count >= 1024 { state.destinations.removeAll() }
                state.destinations[entry.event.dsn] = destination
                let scope = destination.limitScope
                var blockedUntil = state.limits.limitedUntil(destination: scope, now: now)
                if let failure = state.failures[scope], failure.until > now {
                    blockedUntil = max(blockedUntil ?? failure.until, failure.until)
                }
                if let blockedUntil {
                    state.held[entry.event.dsn] = blockedUntil
                    continue
                }
                state.inFlight.insert(entry.id)
                plan.entries.append((entry, destination))
            }
        }
    }

    /// The destination of a spooled event; one whose DSN no longer reads is dropped.
    private func destination(of entry: Spool.Entry) -> SentryDestination? {
        do {
            return try SentryDestination(SentryDSN(parsing: entry.event.dsn))
        } catch {
            report("event \(entry.event.eventID): dropped: its DSN is not usable: \(error)")
            counters.add(.dropped)
            return nil
        }
    }

    /// Deletes the answered events' rows in one transaction, then lets their ids go. (Should
    /// the delete fail, they are sent again; Sentry drops an event id it already has.)
    private func deleteAnswered() {
        let answered = state.withLock { state in
            defer { state.answered.removeAll(keepingCapacity: true) }
            return state.answered
        }
        guard !answered.isEmpty else { return }
        do {
            try spool.remove(answered)
        } catch {
            report("\(error)")
        }
        state.withLock { state in
            for id in answered { state.inFlight.remove(id) }
        }
        counters.setSpooled(spool.totals.count)
    }

    /// Sends one event and acts on the answer.
    private func deliver(_ entry: Spool.Entry, to destination: SentryDestination) async {
        let answer = await transport.send(entry.event, to: destination)
        let scope = destination.limitScope
        state.withLock { state in
            state.limits.record(destination: scope, status: answer.status, rateLimits: answer.rateLimits,
                                retryAfter: answer.retryAfter)
        }
        switch answer.outcome {
        case .accepted:
            state.withLock { state in
                state.failures.removeValue(forKey: scope)
                state.answered.append(entry.id)
            }
            counters.add(.forwarded)
        case .rateLimited:
            state.withLock { $0.returnToQueue(entry.id) }
            counters.add(.rateLimited)
        case .retry(let reason):
            counters.add(.retried)
            let wait = state.withLock { state -> Duration in
                let count = (state.failures[scope]?.count ?? 0) + 1
                let wait = backoff(afterFailures: count)
                state.failures[scope] = (count, .after(wait))
                state.returnToQueue(entry.id)
                return wait
            }
            report("event \(entry.event.eventID) to \(destination.envelopeURL): \(reason); trying again in \(wait.millisecondsText)")
        case .rejected(let status, let answerText):
            state.withLock { $0.answered.append(entry.id) }
            counters.add(.rejected)
            report("event \(entry.event.eventID) rejected by \(destination.envelopeURL): HTTP \(status): \(answerText)")
        case .unreadable(let reason):
            state.withLock { $0.answered.append(entry.id) }
            counters.add(.dropped)
            report("dropped \(reason)")
        }
        wake.signal()
    }

    /// The wait after `failures` failures in a row: base × 2^(failures−1), capped, minus a
    /// random part of up to half.
    func backoff(afterFailures failures: Int) -> Duration {
        let base = Double(settings.backoff.clampedNanoseconds)
        let full = min(base * Double(1 << min(failures - 1, 30)), Double(settings.maximumBackoff.clampedNanoseconds))
        return .nanoseconds(Int64(full * Double.random(in: 0.5...1.0)))
    }
}
