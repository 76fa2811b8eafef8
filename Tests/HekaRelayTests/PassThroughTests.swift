import Foundation
import HekaClient
import HekaRaven
import HekaRelay
import Testing

/// A packed event that needs no change is sent as the text it was packed from; one that
/// does is rewritten once, into a form that needs no more change.
@Suite struct PassThroughTests {
    let dsn = "https://pub@sentry.example.com/42"
    let id = "0123456789abcdef0123456789abcdef"

    private func convert(_ text: String) throws -> RelayEvent {
        let converter = EventConverter(logMatcher: nil, defaultDSN: try SentryDSN(parsing: dsn))
        let outcome = converter.convert(sentryMessage(payload: SentryPayload.pack(Array(text.utf8)), dsn: nil,
                                                      type: "stacktrace"))
        guard case .event(let event) = outcome else { throw RelayError("not converted: \(outcome)") }
        return event
    }

    @Test("a modern event with a proper event_id is sent byte for byte as it was packed")
    func unchanged() throws {
        let text = """
            { "event_id" : "\(id)", "level": "error", "message": "card declined",
              "exception": {"values": [{"type": "PaymentError", "stacktrace": {"frames": [{"function": "pay"}]}}]},
              "extra": {"note": "caf\\u00e9 \\/ tab\\t"} }
            """
        let event = try convert(text)
        #expect(event.json == Array(text.utf8))
        #expect(event.eventID == id)
    }

    @Test("each thing that needs upgrading is rewritten, and the rewrite needs nothing more", arguments: [
        #"{"event_id":"ID","sentry.interfaces.Message":{"message":"hi"}}"#,
        #"{"event_id":"ID","level":40}"#,
        #"{"event_id":"ID","level":"30"}"#,
        #"{"event_id":"ID","exception":[{"type":"E"}]}"#,
        #"{"event_id":"ID","exception":{"type":"E"}}"#,
        #"{"event_id":"ID","exception":{"values":[{"type":"E"}],"extra":1}}"#,
        #"{"event_id":"ID","exception":{"values":{"type":"E"}}}"#,
        #"{"event_id":"ID","exception":{"values":[{"type":"E"}]},"stacktrace":{"frames":[]}}"#,
        #"{"event_id":"0123456789ABCDEF0123456789ABCDEF","message":"upper case id"}"#,
        #"{"event_id":"01234567-89ab-cdef-0123-456789abcdef","message":"dashed id"}"#,
        #"{"message":"no id"}"#,
        #"{"event_id":12,"message":"numeric id"}"#,
    ])
    func rewritten(template: String) throws {
        let text = template.replacingOccurrences(of: "ID", with: id)
        let event = try convert(text)
        #expect(event.json != Array(text.utf8))
        #expect(event.eventID.utf8.count == 32)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(event.json)) as? [String: Any])
        #expect(object["event_id"] as? String == event.eventID)
        #expect(!object.keys.contains { $0.hasPrefix("sentry.interfaces.") })
        if let level = object["level"] { #expect(level as? String == "error" || level as? String == "warning") }
        if let exception = object["exception"] {
            let parts = try #require(exception as? [String: Any])
            #expect(Array(parts.keys) == ["values"] && parts["values"] is [Any])
        }
        let again = try convert(String(decoding: event.json, as: UTF8.self))
        #expect(again.json == event.json)
    }
}
