import Foundation
import HekaClient
import HekaPlatform
import HekaRaven
import HekaRelay
import Testing

/// The relay against a real HTTP server on loopback.
@Suite(.serialized) struct DeliveryTests {
    @Test("an event is posted as an envelope, byte for byte, with the DSN's auth header")
    func exactEnvelope() async throws {
        let server = try SentryStandIn()
        defer { server.stop() }
        let dsn = standInDSN(port: server.port, secret: "s3cret")
        let (relay, transport) = try makeRelay()
        let event = try #require(try events([errorLogMessage()], dsn: dsn).first)
        #expect(relay.submit([event]) == 1)
        await runToEnd(relay, transport)
        let request = try #require(server.waitForRequests(1).first)
        #expect(request.method == "POST")
        #expect(request.uri == "/api/42/envelope/")
        #expect(request.header("X-Sentry-Auth")
            == "Sentry sentry_version=7, sentry_client=heka-swift/test, sentry_key=pub, sentry_secret=s3cret")
        #expect(request.header("Content-Type") == "application/x-sentry-envelope")
        #expect(request.header("Content-Encoding") == nil)
        let lines = request.body.split(separator: 0x0A, omittingEmptySubsequences: false)
        let header = try #require(try JSONSerialization.jsonObject(with: Data(lines[0])) as? [String: String])
        let sentAt = try #require(header["sent_at"])
        let expectedHead = #"{"event_id":"\#(event.eventID)","dsn":"http://pub@127.0.0.1:\#(server.port)/42","sent_at":"\#(sentAt)"}"#
            + "\n" + #"{"type":"event","length":\#(event.json.count)}"# + "\n"
        #expect(request.body == Array(expectedHead.utf8) + event.json + [0x0A])
        #expect(sentAt.hasSuffix("Z") && sentAt.count == 24)
        #expect(relay.counters.snapshot.forwarded == 1)
        #expect(relay.spool.totals.count == 0)
    }

    @Test("gzip bodies carry Content-Encoding and inflate to the envelope; --store posts the event's JSON")
    func compressedAndStore() async throws {
        let server = try SentryStandIn()
        defer { server.stop() }
        let dsn = standInDSN(port: server.port)
        let (relay, transport) = try makeRelay(compress: true)
        let event = try #require(try events([errorLogMessage()], dsn: dsn).first)
        relay.submit([event])
        await runToEnd(relay, transport)
        let request = try #require(server.waitForRequests(1).first)
        #expect(request.header("Content-Encoding") == "gzip")
        #expect(request.rawBody.starts(with: [0x1F, 0x8B]))
        #expect(request.body.suffix(event.json.count + 1) == ArraySlice(event.json + [0x0A]))

        var settings = SentryTransport.Settings()
        settings.useStoreEndpoint = true
        settings.compress = false
        let store = SentryTransport(settings: settings)
        let answer = await store.send(PackedEvent(event), to: try SentryDestination(SentryDSN(parsing: dsn)))
        await store.shutdown()
        #expect(answer.outcome == .accepted)
        let second = try #require(server.waitForRequests(2).last)
        #expect(second.uri == "/api/42/store/")
        #expect(second.body == event.json)
    }

    @Test("a 429 with Retry-After and X-Sentry-Rate-Limits holds the DSN's events until the limit passes")
    func rateLimited() async throws {
        let server = try SentryStandIn { _, index in
            index == 0
                ? .init(status: 429, headers: [("Retry-After", "30"), ("X-Sentry-Rate-Limits", "1:error;transaction:key")])
                : .init(status: 200, body: "{}")
        }
        defer { server.stop() }
        let (relay, transport) = try makeRelay(maximumInFlight: 1)
        let batch = try events((0..<3).map { _ in errorLogMessage() }, dsn: standInDSN(port: server.port))
        relay.submit(batch)
        await runToEnd(relay, transport)
        let requests = server.waitForRequests(4)
        #expect(requests.count == 4)
        // Nothing was sent for the limited category until its second was up.
        if requests.count == 4 { #expect(requests[1].at.timeIntervalSince(requests[0].at) >= 0.9) }
        #expect(Set(server.acceptedIDs) == Set(batch.map(\.eventID)))
        let snapshot = relay.counters.snapshot
        #expect(snapshot.rateLimited == 1 && snapshot.forwarded == 3 && snapshot.spooled == 0)
    }

    @Test("one DSN's rate limit holds back only its own events: another project's are sent meanwhile")
    func limitIsPerDestination() async throws {
        let server = try SentryStandIn { request, _ in
            request.uri.hasPrefix("/api/42/")
                ? .init(status: 429, headers: [("X-Sentry-Rate-Limits", "60::organization")]) : .init(status: 200)
        }
        defer { server.stop() }
        let (relay, transport) = try makeRelay(maximumInFlight: 1)
        let limited = try events((0..<6).map { _ in errorLogMessage() }, dsn: standInDSN(port: server.port, project: "42"))
        let other = try events((0..<3).map { _ in errorLogMessage() }, dsn: standInDSN(port: server.port, project: "43"))
        relay.submit(limited + other)
        let delivery = startRelay(relay)
        let counts = await offPool { relay.counters.wait(timeout: .seconds(30)) { $0.forwarded == 3 } }
        relay.stop()
        await delivery.value
        await transport.shutdown()
        #expect(counts.forwarded == 3 && counts.rateLimited == 1)
        #expect(Set(server.acceptedIDs) == Set(other.map(\.eventID)))
        #expect(server.waitForRequests(4).filter { $0.uri.hasPrefix("/api/42/") }.count == 1)
        #expect(relay.spool.totals.count == 6)
    }

    @Test("an event sent again after the others moved on is still delivered: 500 for one project while another's flow")
    func returnedEventBehindTheCursor() async throws {
        let failures = LockedCount()
        let server = try SentryStandIn { request, _ in
            request.uri.hasPrefix("/api/42/") && failures.next() <= 2 ? .init(status: 500) : .init(status: 200)
        }
        defer { server.stop() }
        let (relay, transport) = try makeRelay(maximumInFlight: 4)
        let failing = try events([errorLogMessage()], dsn: standInDSN(port: server.port, project: "42"))
        let flowing = try events((0..<40).map { _ in errorLogMessage() }, dsn: standInDSN(port: server.port, project: "43"))
        relay.submit(failing + flowing)
        let delivery = startRelay(relay)
        let counts = await offPool { relay.counters.wait(timeout: .seconds(30)) { $0.forwarded == 41 && $0.spooled == 0 } }
        relay.stop()
        await delivery.value
        await transport.shutdown()
        #expect(counts.forwarded == 41 && counts.retried == 2 && counts.spooled == 0)
        #expect(server.acceptedIDs.count == 41)
        #expect(Set(server.acceptedIDs) == Set((failing + flowing).map(\.eventID)))
    }

    @Test("DSNs found held back four rounds running do not stall the rest: the loop reads on at once")
    func manyHeldDSNsDoNotStall() async throws {
        let server = try SentryStandIn { request, _ in
            request.uri.hasPrefix("/api/42/")
                ? .init(status: 429, headers: [("X-Sentry-Rate-Limits", "60::organization")]) : .init(status: 200)
        }
        defer { server.stop() }
        let (relay, transport) = try makeRelay(maximumInFlight: 1)
        // 300 spellings of one project's DSN (their options differ): one 429 holds them all,
        // and each is found held in a round of its own.
        let limited = try (1...300).flatMap { option in
            try events([errorLogMessage()], dsn: standInDSN(port: server.port, project: "42") + "?option=\(option)")
        }
        let other = try events([errorLogMessage()], dsn: standInDSN(port: server.port, project: "43"))
        relay.submit(limited + other)
        let delivery = startRelay(relay)
        let counts = await offPool { relay.counters.wait(timeout: .seconds(20)) { $0.forwarded == 1 } }
        relay.stop()
        await delivery.value
        await transport.shutdown()
        #expect(counts.forwarded == 1 && counts.rateLimited == 1)
        #expect(server.acceptedIDs == other.map(\.eventID))
    }

    @Test("rate-limit headers: per category, empty means all, Retry-After alone, malformed entries skipped")
    func rateLimitParsing() {
        var limits = RateLimits()
        let now = MonotonicInstant.now()
        limits.record(destination: "a", status: 429, rateLimits: "60:transaction:key, 5::organization, x:y", retryAfter: nil,
                      now: now)
        #expect(limits.limitedUntil(destination: "a", now: now) != nil)
        #expect(limits.limitedUntil(destination: "b", now: now) == nil)
        var onlyTransactions = RateLimits()
        onlyTransactions.record(destination: "a", status: 200, rateLimits: "60:transaction:key", retryAfter: nil, now: now)
        #expect(onlyTransactions.limitedUntil(destination: "a", now: now) == nil)
        var retryAfter = RateLimits()
        retryAfter.record(destination: "a", status: 429, rateLimits: nil, retryAfter: "2", now: now)
        #expect(retryAfter.limitedUntil(destination: "a", now: now) != nil)
        #expect(RateLimits.parse(rateLimits: "60:error;default:key:quota, bad") == [
            .init(duration: .seconds(60), categories: ["error", "default"]),
        ])
    }

    @Test("500 then 200: the event is sent again and arrives once")
    func serverErrorThenSuccess() async throws {
        let server = try SentryStandIn { _, index in index == 0 ? .init(status: 500) : .init(status: 200) }
        defer { server.stop() }
        let lines = ReportLines()
        let (relay, transport) = try makeRelay(lines: lines)
        let batch = try events([errorLogMessage()], dsn: standInDSN(port: server.port))
        relay.submit(batch)
        await runToEnd(relay, transport)
        #expect(server.waitForRequests(2).count == 2)
        #expect(server.acceptedIDs == batch.map(\.eventID))
        #expect(relay.counters.snapshot.retried == 1)
        #expect(relay.counters.snapshot.forwarded == 1)
        #expect(lines.all.contains { $0.contains("HTTP 500") && $0.contains("trying again") })
    }

    @Test("a 400 is final: counted as rejected and reported with Sentry's answer")
    func rejected() async throws {
        let server = try SentryStandIn { _, _ in .init(status: 400, body: #"{"detail":"invalid event"}"#) }
        defer { server.stop() }
        let lines = ReportLines()
        let (relay, transport) = try makeRelay(lines: lines)
        relay.submit(try events([errorLogMessage()], dsn: standInDSN(port: server.port)))
        await runToEnd(relay, transport)
        #expect(server.waitForRequests(1).count == 1)
        #expect(relay.counters.snapshot.rejected == 1)
        #expect(relay.spool.totals.count == 0)
        #expect(lines.all.contains { $0.contains("HTTP 400") && $0.contains("invalid event") })
    }

    @Test("a server that is down, then comes up: every event arrives once")
    func downThenUp() async throws {
        let port = try SentryStandIn.freePort()
        let (relay, transport) = try makeRelay()
        let batch = try events((0..<20).map { _ in errorLogMessage() }, dsn: standInDSN(port: port))
        relay.submit(batch)
        relay.inputFinished()
        let delivery = startRelay(relay)
        let refused = await offPool { relay.counters.wait(timeout: .seconds(30)) { $0.retried >= 3 } }
        #expect(refused.retried >= 3 && refused.forwarded == 0)
        let server = try SentryStandIn(port: port)
        defer { server.stop() }
        await delivery.value
        await transport.shutdown()
        #expect(server.acceptedIDs.sorted() == batch.map(\.eventID).sorted())
        #expect(relay.counters.snapshot.forwarded == 20)
    }
}

/// A counter a responder can step from the server's thread.
private final class LockedCount: @unchecked Sendable {
    // @unchecked: `value` is guarded by `lock`.
    private let lock = NSLock()
    private var value = 0

    /// Adds one; the new count.
    func next() -> Int { lock.withLock { value += 1; return value } }
}
