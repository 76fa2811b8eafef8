import Foundation
import HekaClient
import HekaInputs
import HekaRaven
import HekaRelay
import LoopbackSupport
import Streams
import Testing

/// Messages into Sentry events, each checked by Sentry's own normalizer.
@Suite struct ConversionTests {
    let dsn = "https://pub@sentry.example.com/42"

    private func converter(match: String = EventConverter.defaultMatch, defaultDSN: String? = nil) throws -> EventConverter {
        EventConverter(logMatcher: try MessageMatcher(match), defaultDSN: try defaultDSN.map { try SentryDSN(parsing: $0) })
    }

    private func object(_ event: RelayEvent) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(event.json)) as? [String: Any])
    }

    @Test("a heka-py-raven event (legacy keys, numeric level) is upgraded, kept whole and passes the normalizer")
    func legacyEvent() throws {
        let outcome = try converter().convert(sentryMessage(payload: legacyRavenEvent(), dsn: dsn))
        guard case .event(let event) = outcome else { Issue.record("not converted: \(outcome)"); return }
        #expect(event.eventID == "9f2c3a1b4d5e6f708192a3b4c5d6e7f8")
        #expect(event.dsn == dsn)
        let json = try object(event)
        #expect(json["checksum"] as? String == "0f343b0931126a20f133d67c2b018a3b")
        #expect(json["culprit"] as? String == "shop.checkout in total")
        #expect(json["level"] as? String == "error")
        #expect((json["tags"] as? [String: Any])?["region"] as? String == "eu")
        #expect((json["extra"] as? [String: Any])?["order"] as? String == "1234")
        #expect(!json.keys.contains { $0.hasPrefix("sentry.interfaces.") })
        let values = try #require((json["exception"] as? [String: Any])?["values"] as? [[String: Any]])
        let frames = try #require((values.last?["stacktrace"] as? [String: Any])?["frames"] as? [[String: Any]])
        #expect(frames.first?["function"] as? String == "total")
        let verdict = try SentryNormalizer.check(event.json)
        #expect(verdict.problems == [])
        #expect(verdict.normalized.contains("ZeroDivisionError"))
    }

    @Test("the raven plugin's own event keeps one exception and passes the normalizer")
    func ravenPluginEvent() throws {
        let stream = DebugCaptureStream()
        var plugins = PluginSet()
        try plugins.bind(RavenPlugin(tags: ["region": "eu"]))
        let client = HekaClient(stream: stream, logger: "shop", plugins: plugins)
        struct Declined: Error {}
        client.raven("checkout failed", error: Declined(), extra: ["order": 1234])
        client.flush(timeout: .seconds(120))
        let message = try #require(stream.lastMessage)
        let outcome = try converter(defaultDSN: dsn).convert(message)
        guard case .event(let event) = outcome else { Issue.record("not converted: \(outcome)"); return }
        let original = try #require(try JSONSerialization.jsonObject(with: Data(SentryPayload.unpack(message.payload))) as? [String: Any])
        let json = try object(event)
        #expect(json["event_id"] as? String == original["event_id"] as? String)
        #expect(json["checksum"] as? String == original["checksum"] as? String)
        #expect(json["culprit"] as? String == original["culprit"] as? String)
        #expect(((json["exception"] as? [String: Any])?["values"] as? [Any])?.count == 1)
        #expect(json["sentry.interfaces.Exception"] == nil && json["sentry.interfaces.Stacktrace"] == nil)
        #expect(try SentryNormalizer.check(event.json).problems == [])
    }

    @Test("an error log message becomes a message event: level, host, logger, fields as extra; the dsn field left out")
    func logEvent() throws {
        let outcome = try converter().convert(errorLogMessage(dsn: dsn))
        guard case .event(let event) = outcome else { Issue.record("not converted: \(outcome)"); return }
        let json = try object(event)
        #expect(json["level"] as? String == "error")
        #expect(json["server_name"] as? String == "web-2")
        #expect(json["logger"] as? String == "shop.payments")
        #expect((json["logentry"] as? [String: Any])?["formatted"] as? String == "payment service unreachable")
        let extra = try #require(json["extra"] as? [String: Any])
        #expect(extra["order"] as? Int == 1234)
        #expect(extra["region"] as? String == "eu")
        #expect(extra["dsn"] == nil)
        #expect((json["tags"] as? [String: Any])?["heka_type"] as? String == "log")
        #expect(try SentryNormalizer.check(event.json).problems == [])
    }

    @Test("severities map to Sentry's levels")
    func levels() {
        #expect([0, 2, 3, 4, 5, 6, 7].map { EventConverter.level(for: Severity(rawValue: $0)) }
            == ["fatal", "fatal", "error", "warning", "info", "info", "debug"])
    }

    @Test("messages not selected are skipped; a selected one without any DSN is refused, not lost")
    func selection() throws {
        let converter = try converter()
        var info = errorLogMessage()
        info.severity = 6
        #expect(converter.convert(info) == .skipped)
        guard case .refused(let refusal) = converter.convert(errorLogMessage()) else {
            Issue.record("a message without a DSN was not refused"); return
        }
        #expect(refusal.kind == .noDestination)
        #expect(refusal.description.contains("no dsn field and no --dsn"))
    }

    @Test("bad payloads are refused with what is wrong: not base64, not zlib, a zip bomb, not JSON")
    func badPayloads() throws {
        let converter = try converter(defaultDSN: dsn)
        let bomb = SentryPayload.pack([UInt8](repeating: 0x20, count: 4 << 20))
        let cases: [(String, UnpackedEvent.Failure.Kind)] = [
            ("e!!! not base64", .notBase64), ("aGVsbG8=", .notZlib), (bomb, .tooLarge),
            (SentryPayload.pack(Array("not json".utf8)), .notJSON), (SentryPayload.pack(Array("[1]".utf8)), .notJSON),
        ]
        for (payload, kind) in cases {
            guard case .refused(let refusal) = converter.convert(sentryMessage(payload: payload, dsn: nil)) else {
                Issue.record("payload accepted: \(payload.prefix(20))"); continue
            }
            #expect(refusal.kind == .badPayload)
            #expect(refusal.description.contains(kind.rawValue), "\(refusal)")
        }
    }
}
