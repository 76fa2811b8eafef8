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

    /// The spool.
    public let spool: Spool
    /// The counts.
    public let counters: RelayCounters
    private let transport: SentryTransport
    private let settings: Settings
    private let state = LockedValue(RelayState())
    /// Serialises reading the spool's size and setting the count, from the input and the loop.
    private let spooledUpdate = LockedValue(())
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
        updateSpooled()
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
        let deleted = deleteAnswered()
        if !deleted { plan.wakeAt = .after(.seconds(1)) }
        let now = MonotonicInstant.now()
        let (stopping, inputDone, inFlight) = state.withLock { state in
            state.endHolds(now: now)
            return (state.stopping, state.inputDone, state.inFlight)
        }
        if stopping {
            plan.finished = inFlight.isEmpty
            return plan
        }
        let free = settings.maximumInFlight - inFlight.count
        // A round that finds DSNs held back reads on past their events; after four, the
        // loop comes straight back rather than wait for an answer or a hold's end.
        for round in 0..<4 where plan.entries.count < free {
            let wanted = free - plan.entries.count
            let (after, rewinds, excluding) = state.withLock { ($0.cursor, $0.rewinds, $0.inFlight) }
            let batch: Spool.Batch
            do {
                batch = try spool.next(limit: wanted, after: after, excluding: excluding) { dsn, id in
                    self.state.withLock { $0.passOver(dsn, id) }
                }
            } catch {
                report("\(error)")
                plan.wakeAt = .after(.seconds(1))
                return plan
            }
            if batch.entries.isEmpty && batch.exhausted && inFlight.isEmpty && plan.entries.isEmpty && inputDone
                && settings.exitWhenEmpty && spool.totals.count == 0 {
                plan.finished = true
                return plan
            }
            take(batch, free: free, now: now, rewinds: rewinds, into: &plan)
            if batch.exhausted { break }
            if round == 3 && plan.entries.count < free { wake.signal() }
        }
        state.withLock { state in
            if let soonest = state.soonestHoldEnd { plan.wakeAt = min(plan.wakeAt ?? soonest, soonest) }
            plan.idle = plan.entries.isEmpty && state.inFlight.isEmpty
            // Rows dropped for an unusable DSN are deleted at the next plan: now (unless
            // deleting fails, which is tried again in a second).
            if deleted && !state.answered.isEmpty { wake.signal() }
        }
        return plan
    }

    /// Adds to `plan` the batch's events whose destination may be sent to now; the DSNs
    /// held back (rate limit, backoff) are remembered until their hold ends. The cursor moves
    /// past everything the batch looked at, unless it went back since it was read.
    private func take(_ batch: Spool.Batch, free: Int, now: MonotonicInstant, rewinds: Int, into plan: inout Plan) {
        state.withLock { state in
            // How far the cursor may move: past all the batch looked at, or, should the plan
            // fill up before its end, to the last event dealt with.
            var reach = batch.through
            for entry in batch.entries {
                guard plan.entries.count < free else {
                    reach = entry.id - 1
                    break
                }
                if state.passOver(entry.event.dsn, entry.id) { continue }
                guard let destination = state.destinations[entry.event.dsn] ?? destination(of: entry) else {
                    // Deleted with the answered ones: in flight until then.
                    state.inFlight.insert(entry.id)
                    state.answered.append(entry.id)
                    continue
                }
                if state.destinations.count >= 1024 { state.destinations.removeAll() }
                state.destinations[entry.event.dsn] = destination
                if let blockedUntil = state.blockedUntil(destination.limitScope, now: now) {
                    state.hold(entry.event.dsn, until: blockedUntil, first: entry.id)
                    continue
                }
                state.inFlight.insert(entry.id)
                plan.entries.append((entry, destination))
            }
            if state.rewinds == rewinds { state.cursor = max(state.cursor, reach) }
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

    /// Deletes the answered events' rows in one transaction, then lets their ids go; returns
    /// whether it could. (When it cannot, they stay in flight, to be deleted at a later plan,
    /// not sent again.)
    @discardableResult
    private func deleteAnswered() -> Bool {
        let answered = state.withLock { state in
            defer { state.answered.removeAll(keepingCapacity: true) }
            return state.answered
        }
        guard !answered.isEmpty else { return true }
        do {
            try spool.remove(answered)
        } catch {
            report("\(error)")
            state.withLock { $0.answered += answered }
            return false
        }
        state.withLock { state in
            for id in answered { state.inFlight.remove(id) }
        }
        updateSpooled()
        return true
    }

    /// Sets the spooled count from the spool (the input and the loop both do: one at a time,
    /// so that an older size never overwrites a newer).
    private func updateSpooled() {
        spooledUpdate.withLock { _ in counters.setSpooled(spool.totals.count) }
    }

    /// Sends one event and acts on the answer.
    private func deliver(_ entry: Spool.Entry, to destination: SentryDestination) async {
        let sentAt = MonotonicInstant.now()
        let answer = await transport.send(entry.event, to: destination)
        let scope = destination.limitScope
        let now = MonotonicInstant.now()
        state.withLock { state in
            state.limits.record(destination: scope, status: answer.status, rateLimits: answer.rateLimits,
                                retryAfter: answer.retryAfter, now: now)
        }
        switch answer.outcome {
        case .accepted:
            state.withLock { state in
                state.failures.removeValue(forKey: scope)
                state.answered.append(entry.id)
            }
            counters.add(.forwarded)
        case .rateLimited:
            counters.add(.rateLimited)
            state.withLock { state in
                // A 429 whose headers hold back nothing (or nothing this event counts
                // against, or for no time) backs off like a failure, not to be sent at once.
                let limited = state.limits.limitedUntil(destination: scope, categories: RelayState.categories, now: now)
                if limited.map({ $0 < now.advanced(by: .seconds(1)) }) ?? true {
                    _ = state.recordFailure(scope, sentAt: sentAt, now: now, backoff: backoff(afterFailures:))
                }
                state.returnToQueue(entry.id)
            }
        case .retry(let reason):
            counters.add(.retried)
            let wait = state.withLock { state -> Duration in
                defer { state.returnToQueue(entry.id) }
                return state.recordFailure(scope, sentAt: sentAt, now: now, backoff: backoff(afterFailures:))
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
