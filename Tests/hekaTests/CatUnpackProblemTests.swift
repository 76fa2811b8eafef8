import Foundation
import HekaClient
import Testing

/// A stack trace whose payload does not unpack is printed as it came and counted.
@Suite struct CatUnpackProblemTests {
    @Test("heka cat --unpack: a stack trace that is not base64 or not JSON is a problem with its reason; others pass")
    func badPackedPayloads() throws {
        let encoder = ProtobufEncoder()
        let input = try encoder.encode(Message(type: "stacktrace", payload: "not base64!"))
            + encoder.encode(Message(type: "sentry", payload: "eJzLSM3JyQcABiwCFQ=="))  // zlib of "hello"
            + encoder.encode(Message(type: "oldstyle", payload: "e-mail bounced"))  // not a stack trace
        let result = try runHeka(["cat", "-", "--unpack"], input: input)
        #expect(result.status == 1)
        #expect(result.stderr.contains("a stacktrace message's payload cannot be unpacked (not zlib)")
                || result.stderr.contains("a stacktrace message's payload cannot be unpacked (not base64)"))
        #expect(result.stderr.contains("a sentry message's payload cannot be unpacked (not JSON)"))
        #expect(result.stderr.contains("3 messages") && result.stderr.contains("2 problems"))
        let text = String(decoding: result.stdout, as: UTF8.self)
        #expect(text.contains("not base64!") && text.contains("e-mail bounced"))
    }
}
