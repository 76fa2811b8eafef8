import Foundation
import HekaClient
import HekaPlatform
import HekaRelay
import Testing

/// Answers and spools at the edges: a 429 that holds nothing back, a redirect, failures in
/// flight together, a long answer, a row with an unusable DSN, a held backlog.
@Suite(.serialized) struct DeliveryEdgeTests {
    /// Runs `relay` until `condition` holds (or 20 s pass), stops it, and returns the counts.
    private func deliver(_ relay: Relay, _ transport: SentryTransport,
                         until condition: @escaping @Sendable (RelayCounters.Snapshot) -> Bool) async -> RelayCounters.Snapshot {
        let delivery = startRelay(relay)
        let counts = await offPool { relay.counters.wait(timeout: .seconds(20), until: condition) }
        relay.stop()
        await delivery.value
        await transport.shutdown()
        return counts
    }

    @Test("a 429 that holds nothing back (Retry-After: 0, a limit on other categories) backs off; it is not sent again at once",
          arguments: [[("Retry-After", "0")], [("X-Sentry-Rate-Limits", "60:transaction:key")], [("X-Sentry-Rate-Limits", "0::key")]])
    func rateLimitWithoutHold(headers: [(String, String)]) async throws {
        let server = try SentryStandIn { _, _ in .init(status: 429, headers: headers) }
        defer { server.stop() }
        let (relay, transport) = try makeRelay(maximumInFlight: 1)
        relay.submit(try events([errorLogMessage()], dsn: standInDSN(port: server.port)))
        let delivery = startRelay(relay)
        // Backing off from 20 ms, doubling to 200 ms (less up to half): the ten tries after
        // the first take at least 0.75 s, where sending again at once took milliseconds.
        // Measured by the server's clock, which a busy machine can only stretch.
        let requests = await offPool { server.waitForRequests(12, timeout: 60) }
        #expect(requests.count >= 12)
        if requests.count >= 12 {
            let span = requests[11].at.timeIntervalSince(requests[1].at)
            #expect(span > 0.5, "ten tries in \(span) s; \(relay.counters.snapshot)")
        }
        server.respond { _, _ in .init(status: 200) }
        let counts = await offPool { relay.counters.wait(timeout: .seconds(20)) { $0.forwarded == 1 } }
        relay.stop()
        await delivery.value
        await transport.shutdown()
        #expect(counts.forwarded == 1 && counts.rateLimited >= 1)
    }

    @Test("a redirect is not a refusal: the event is kept and sent again")
    func redirectIsRetried() async throws {
        let server = try SentryStandIn { _, index in
            index == 0 ? .init(status: 301, headers: [("Location", "https://elsewhere.example/")]) : .init(status: 200)
        }
        defer { server.stop() }
        let lines = ReportLines()
        let (relay, transport) = try makeRelay(lines: lines)
        relay.submit(try events([errorLogMessage()], dsn: standInDSN(port: server.port)))
        let counts = await deliver(relay, transport) { $0.forwarded == 1 }
        #expect(counts.forwarded == 1 && counts.rejected == 0 && counts.retried == 1)
        #expect(lines.all.contains { $0.contains("HTTP 301, a redirect (not followed: check the DSN)") }, "\(lines.all)")
    }

    @Test("requests in flight that fail together count as one failure: the backoff does not jump to its maximum")
    func concurrentFailuresCountOnce() async throws {
        let server = try SentryStandIn { _, index in index < 8 ? .init(status: 503) : .init(status: 200) }
        defer { server.stop() }
        let lines = ReportLines()
        let (relay, transport) = try makeRelay(maximumInFlight: 8, lines: lines)
        relay.submit(try events((0..<8).map { _ in errorLogMessage() }, dsn: standInDSN(port: server.port)))
        let counts = await deliver(relay, transport) { $0.forwarded == 8 }
        #expect(counts.forwarded == 8 && counts.retried == 8, "\(counts) \(lines.all)")
        // Every wait is the first step's (20 ms, less up to half), or on a busy machine the
        // second's, when a request sent again after the first failure reaches the server
        // before one of the first eight; counted eight times, they reach the 200 ms cap.
        let waits = lines.all.compactMap { line in line.split(separator: " ").dropLast().last.flatMap { Int($0) } }
        #expect(waits.count == 8 && waits.allSatisfy { $0 <= 40 }, "\(lines.all)")
    }

    @Test("an accepted event whose answer is longer than 64 KiB is accepted, not sent again")
    func longAnswer() async throws {
        let server = try SentryStandIn { _, _ in .init(status: 200, body: String(repeating: "x", count: 70_000)) }
        defer { server.stop() }
        let (relay, transport) = try makeRelay()
        relay.submit(try events([errorLogMessage()], dsn: standInDSN(port: server.port)))
        let counts = await deliver(relay, transport) { $0.forwarded == 1 && $0.spooled == 0 }
        #expect(counts.forwarded == 1 && counts.retried == 0 && counts.spooled == 0)
        #expect(server.waitForRequests(1).count == 1)
    }

    @Test("a spooled row whose DSN does not read is dropped and deleted at once, and a finite run ends")
    func unusableDSNDoesNotStall() async throws {
        let server = try SentryStandIn()
        defer { server.stop() }
        let lines = ReportLines()
        let (relay, transport) = try makeRelay(maximumInFlight: 1, lines: lines)
        let good = try events([errorLogMessage()], dsn: standInDSN(port: server.port))
        relay.submit(good + [RelayEvent(dsn: "not a dsn", eventID: String(repeating: "0", count: 32), json: Array("{}".utf8))])
        let counts = await deliver(relay, transport) { $0.forwarded == 1 && $0.dropped == 1 && $0.spooled == 0 }
        #expect(counts.forwarded == 1 && counts.dropped == 1 && counts.spooled == 0)
        #expect(lines.all.contains { $0.contains("its DSN is not usable") })
    }

    @Test("a held DSN's backlog is looked through once, not once per event sent for the others")
    func heldBacklogIsNotRescanned() async throws {
        let server = try SentryStandIn { request, _ in
            request.uri.hasPrefix("/api/42/")
                ? .init(status: 429, headers: [("X-Sentry-Rate-Limits", "60::organization")]) : .init(status: 200)
        }
        defer { server.stop() }
        let (relay, transport) = try makeRelay(maximumInFlight: 1, spoolBytes: 1 << 30)
        let backlog = 2000
        relay.submit(try events((0..<backlog).map { _ in errorLogMessage() }, dsn: standInDSN(port: server.port, project: "42")))
        let delivery = startRelay(relay)
        #expect(await offPool { relay.counters.wait(timeout: .seconds(20)) { $0.rateLimited == 1 } }.rateLimited == 1)
        let other = try events((0..<50).map { _ in errorLogMessage() }, dsn: standInDSN(port: server.port, project: "43"))
        for (index, event) in other.enumerated() {
            relay.submit([event])
            _ = await offPool { relay.counters.wait(timeout: .seconds(20)) { $0.forwarded == index + 1 } }
        }
        let counts = relay.counters.snapshot
        relay.stop()
        await delivery.value
        await transport.shutdown()
        #expect(counts.forwarded == 50 && counts.rateLimited == 1)
        // One pass through the backlog and a few rows per event; a queue read from its start
        // for each of the 50 would look at 100,000.
        #expect(relay.spool.rowsLookedAt < 3 * backlog, "\(relay.spool.rowsLookedAt) rows looked at")
    }
}
