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
        var inFlight: Set<Int64> = []
        var limits = RateLimits()
        var failures: [String: (count: Int, until: MonotonicInstant)] = [:]
        var stopping = false
        var inputDone = false
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

    /// Spools `events` (in one transaction) for delivery; what the full spool refuses is
    /// counted as dropped and reported. Returns how many were spooled.
    @discardableResult
    public func submit(_ events: [RelayEvent]) -> Int {
        guard !events.isEmpty else { return 0 }
        let written: Int
        do {
            written = try spool.add(events)
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
                await wake.wait(until: plan.wakeAt)
            }
        }
    }

    private struct Plan {
        var entries: [(entry: Spool.Entry, destination: SentryDestination)] = []
        var wakeAt: MonotonicInstant?
        var finished = false
    }

    /// The events to send now, and when to look again.
    private func planNext() -> Plan {
        var plan = Plan()
        let (stopping, inputDone, inFlight) = state.withLock { ($0.stopping, $0.inputDone, $0.inFlight) }
        if stopping {
            plan.finished = inFlight.isEmpty
            return plan
        }
        let free = settings.maximumInFlight - inFlight.count
        var held: Set<String> = []
        // Each round leaves out the DSNs found held back, so that one limited DSN's events,
        // however many, do not keep the others' waiting.
        for _ in 0..<4 {
            let wanted = max(free - plan.entries.count, 0) * 2
            let candidates: [Spool.Entry]
            do {
                candidates = try spool.next(limit: wanted, excluding: state.withLock { $0.inFlight }, skipping: held)
            } catch {
                report("\(error)")
                plan.wakeAt = .after(.seconds(1))
                return plan
            }
            if candidates.isEmpty && inFlight.isEmpty && held.isEmpty && plan.entries.isEmpty && inputDone
                && settings.exitWhenEmpty && spool.totals.count == 0 {
                plan.finished = true
                return plan
            }
            let heldBefore = held.count
            take(candidates, free: free, held: &held, into: &plan)
            if held.count == heldBefore || candidates.count < wanted || plan.entries.count >= free { break }
        }
        return plan
    }

    /// Adds to `plan` the candidates whose destination may be sent to now; the DSNs held back
    /// (rate limit, backoff) go into `held`, and the earliest end of a hold into the plan.
    private func take(_ candidates: [Spool.Entry], free: Int, held: inout Set<String>, into plan: inout Plan) {
        let now = MonotonicInstant.now()
        state.withLock { state in
            for entry in candidates where plan.entries.count < free {
                guard let destination = destination(of: entry) else { continue }
                let scope = destination.limitScope
                var blockedUntil = state.limits.limitedUntil(destination: scope, now: now)
                if let failure = state.failures[scope], failure.until > now {
                    blockedUntil = max(blockedUntil ?? failure.until, failure.until)
                }
                if let blockedUntil {
                    plan.wakeAt = min(plan.wakeAt ?? blockedUntil, blockedUntil)
                    held.insert(entry.event.dsn)
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
            forget(entry)
            return nil
        }
    }

    private func forget(_ entry: Spool.Entry) {
        do {
            try spool.remove(entry.id)
        } catch {
            report("\(error)")
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
            state.withLock { _ = $0.failures.removeValue(forKey: scope) }
            forget(entry)
            counters.add(.forwarded)
        case .rateLimited:
            counters.add(.rateLimited)
        case .retry(let reason):
            counters.add(.retried)
            let wait = state.withLock { state -> Duration in
                let count = (state.failures[scope]?.count ?? 0) + 1
                let wait = backoff(afterFailures: count)
                state.failures[scope] = (count, .after(wait))
                return wait
            }
            report("event \(entry.event.eventID) to \(destination.envelopeURL): \(reason); trying again in \(wait.millisecondsText)")
        case .rejected(let status, let answerText):
            forget(entry)
            counters.add(.rejected)
            report("event \(entry.event.eventID) rejected by \(destination.envelopeURL): HTTP \(status): \(answerText)")
        }
        state.withLock { _ = $0.inFlight.remove(entry.id) }
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
