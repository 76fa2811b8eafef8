import HekaClient
import LoopbackSupport
import Testing

@testable import HekaRaven

/// The events raven sends, read by the code Sentry runs on every event it receives.
@Suite struct SentryNormalizerTests {
    @Test("a captured event passes Sentry's normalizer with nothing refused or replaced")
    func capturedEventNormalizes() throws {
        let (client, stream) = try ravenClient(RavenPlugin(tags: ["region": "eu"]))
        client.raven("normalize me", error: CheckoutError("card declined"),
                     extra: ["order": 1234, "basket": ["apple", "pear"], "ratio": 0.5, "gift": true])
        client.flush(timeout: .symbolication)
        let message = try #require(stream.lastMessage)
        let verdict = try SentryNormalizer.check(try SentryPayload.unpack(message.payload))
        #expect(verdict.problems == [])
        #expect(verdict.normalized.contains(#""level": "error""#))
        #expect(verdict.normalized.contains("normalize me"))
    }

    @Test("the oracle is not a rubber stamp: a bad level and a bad timestamp are reported")
    func oracleRefuses() throws {
        let verdict = try SentryNormalizer.check(Array(#"{"level":"loud","timestamp":"yesterday","message":"x"}"#.utf8))
        #expect(verdict.problems.contains { $0.hasPrefix("level") })
        #expect(verdict.problems.contains { $0.hasPrefix("timestamp") })
    }
}
