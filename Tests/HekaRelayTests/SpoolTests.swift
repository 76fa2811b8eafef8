import Foundation
import HekaClient
import HekaInputs
import HekaRelay
import Testing

/// The spool on a real SQLite file.
@Suite struct SpoolTests {
    private func event(_ index: Int, size: Int = 100) -> RelayEvent {
        RelayEvent(dsn: "https://pub@sentry.example.com/1", eventID: String(format: "%032x", index),
                   json: Array(repeating: UInt8(ascii: "x"), count: size))
    }

    @Test("events survive closing and reopening, in order, and leave only when removed")
    func durable() throws {
        let path = try temporarySpoolPath()
        do {
            let spool = try Spool(path: path, maximumBytes: 1 << 20)
            #expect(try spool.add((0..<5).map { PackedEvent(event($0)) }) == 5)
            let first = try #require(try spool.next(limit: 1, excluding: []).entries.first)
            try spool.remove([first.id])
        }
        let reopened = try Spool(path: path, maximumBytes: 1 << 20)
        let packed = (1..<5).map { PackedEvent(event($0)) }
        #expect(reopened.totals.count == 4 && reopened.totals.bytes == packed.map(\.deflated.count).reduce(0, +))
        let entries = try reopened.next(limit: 10, excluding: []).entries
        #expect(entries.map(\.event) == packed)
        #expect(try entries.map { try $0.event.event() } == (1..<5).map { event($0) })
        let skipping = try reopened.next(limit: 10, excluding: [entries[0].id]).entries
        #expect(skipping.map(\.event.eventID) == (2..<5).map { event($0).eventID })
    }

    @Test("rows are read after a cursor, passing over those being sent, and removed several in one transaction")
    func cursorAndBatchRemoval() throws {
        let path = try temporarySpoolPath()
        do {
            let spool = try Spool(path: path, maximumBytes: 1 << 20)
            #expect(try spool.add((0..<6).map { PackedEvent(event($0)) }) == 6)
            let first = try spool.next(limit: 2, after: 0, excluding: []).entries
            #expect(first.map(\.event.eventID) == (0..<2).map { event($0).eventID })
            let rest = try spool.next(limit: 10, after: first[1].id, excluding: [first[1].id + 2]).entries
            #expect(rest.map(\.event.eventID) == [2, 4, 5].map { event($0).eventID })
            try spool.remove(first.map(\.id) + [rest[0].id, 9_999])
            #expect(spool.totals.count == 3 && spool.totals.bytes == (3..<6).map { PackedEvent(event($0)).deflated.count }.reduce(0, +))
        }
        let reopened = try Spool(path: path, maximumBytes: 1 << 20)
        #expect(try reopened.next(limit: 10, excluding: []).entries.map(\.event.eventID) == (3..<6).map { event($0).eventID })
        #expect(reopened.totals.count == 3)
    }

    @Test("a look through held rows says how far it went, so that the next starts after them; a long one stops at its limit")
    func lookThroughHeldRows() throws {
        let spool = try Spool(path: try temporarySpoolPath(), maximumBytes: 1 << 30)
        let held = "https://held@sentry.example.com/1"
        let heldEvents = (0..<1000).map { PackedEvent(RelayEvent(dsn: held, eventID: event($0).eventID, json: event($0).json)) }
        #expect(try spool.add(heldEvents + [PackedEvent(event(1000))]) == 1001)
        var passedOver: [Int64] = []
        let batch = try spool.next(limit: 1, excluding: []) { dsn, id in
            if dsn == held { passedOver.append(id) }
            return dsn == held
        }
        #expect(batch.entries.map(\.event.eventID) == [event(1000).eventID])
        #expect(batch.through == 1001 && !batch.exhausted && passedOver == Array(1...1000))
        let after = try spool.next(limit: 1, after: batch.through, excluding: [])
        #expect(after.entries.isEmpty && after.exhausted && after.through == 1001)
        let onlyHeld = try spool.next(limit: 1, excluding: [], scanLimit: 300) { dsn, _ in dsn == held }
        #expect(onlyHeld.entries.isEmpty && !onlyHeld.exhausted && onlyHeld.through == 300)
        #expect(spool.rowsLookedAt == 1001 + 300)
    }

    @Test("a batch is spooled in order up to the first event that does not fit, which the report names")
    func sizeLimitKeepsOrder() throws {
        let lines = ReportLines()
        let small = PackedEvent(event(0)).deflated.count
        let (relay, _) = try makeRelay(spoolBytes: 2 * small + 1, lines: lines)
        let big = RelayEvent(dsn: event(1).dsn, eventID: String(repeating: "b", count: 32),
                             json: (0..<4000).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) })
        #expect(relay.submit([event(0), big, event(2)]) == 1)
        #expect(lines.all.contains { $0.contains("2 event(s) dropped, the first \(big.eventID)") }, "\(lines.all)")
        #expect(relay.counters.snapshot.spooled == 1)
    }

    @Test("a full spool refuses what does not fit; the relay counts and reports it as dropped")
    func sizeLimit() throws {
        let lines = ReportLines()
        // The bound counts compressed bytes: room for two events and a byte.
        let (relay, _) = try makeRelay(spoolBytes: 2 * PackedEvent(event(0)).deflated.count + 1, lines: lines)
        #expect(relay.submit((0..<4).map { event($0) }) == 2)
        #expect(relay.counters.snapshot.dropped == 2)
        #expect(relay.counters.snapshot.spooled == 2)
        #expect(lines.all.contains { $0.contains("spool full") && $0.contains("2 event(s) dropped") })
    }

    @Test("the relay's input sink counts bad payloads, messages without a DSN and input problems, and reports each")
    func inputSinkCounts() throws {
        let lines = ReportLines()
        let (relay, _) = try makeRelay(lines: lines)
        let sink = RelayInput(relay: relay, converter: EventConverter(logMatcher: nil, defaultDSN: nil), report: lines.sink)
        let dsn = "https://pub@sentry.example.com/1"
        _ = sink.handle(.message(sentryMessage(payload: "not base64!", dsn: dsn), verified: false))
        _ = sink.handle(.message(sentryMessage(payload: legacyRavenEvent(), dsn: nil), verified: false))
        _ = sink.handle(.message(sentryMessage(payload: legacyRavenEvent(), dsn: dsn), verified: false))
        _ = sink.handle(.message(errorLogMessage(), verified: false))
        _ = sink.handle(.problem("stdin: byte 7: not a record"))
        sink.flush()
        let counts = relay.counters.snapshot
        #expect(counts.received == 4 && counts.dropped == 2 && counts.skipped == 1 && counts.problems == 1)
        #expect(counts.spooled == 1)
        #expect(lines.all.count == 3)
        #expect(lines.all.contains { $0.contains("payload not zlib") })
        #expect(lines.all.contains { $0.contains("no dsn field") })
    }
}
