import HekaClient
import Streams
import Testing

@testable import HekaRaven

/// Three calls deep, the third throws: wrapped in a StackTracedError when `traced`.
@inline(never)
func placeOrder(traced: Bool) throws {
    try chargeCard(traced: traced)
}

@inline(never)
func chargeCard(traced: Bool) throws {
    try declineCard(traced: traced)
}

@inline(never)
func declineCard(traced: Bool) throws {
    let error = CheckoutError("card declined")
    if traced { throw StackTracedError(error) }
    throw error
}

/// An error that records its own throw site.
struct DeclinedPayment: StackTracingError {
    let throwSite = CapturedThrowSite()
}

@inline(never)
func refusePayment() throws {
    throw DeclinedPayment()
}

/// The innermost in-app frame's function and the culprit of the client's last event.
func culpritAndInnermost(_ stream: DebugCaptureStream) throws -> (culprit: String, innermost: String) {
    let event = try sentryEvent(of: try #require(stream.lastMessage))
    let innermost = try #require(try frames(of: event).last { $0["in_app"] as? Bool == true })
    return (try #require(event["culprit"] as? String), try #require(innermost["function"] as? String))
}

@Suite struct ThrowSiteStackTests {
    @Test("a StackTracedError's event names the function that threw it; a plain error's the one that caught it")
    func throwingFunction() throws {
        let (client, stream) = try ravenClient()
        for traced in [true, false] {
            do {
                try placeOrder(traced: traced)
            } catch {
                client.raven("order failed", error: error)
            }
            client.flush(timeout: .symbolication)
            let (culprit, innermost) = try culpritAndInnermost(stream)
            if traced {
                #expect(culprit.contains("declineCard") && innermost.contains("declineCard"))
                let functions = try frames(of: try sentryEvent(of: try #require(stream.lastMessage)))
                    .compactMap { $0["function"] as? String }
                #expect(functions.suffix(3).map { $0.prefix { $0 != "(" } }
                    == ["placeOrder", "chargeCard", "declineCard"])
            } else {
                #expect(culprit.contains("throwingFunction") && innermost.contains("throwingFunction"))
                #expect(!culprit.contains("declineCard"))
            }
        }
        #expect(stream.count == 2)
    }

    @Test("the exception is the wrapped error's: type, module and value")
    func wrappedException() throws {
        let (client, stream) = try ravenClient()
        do {
            try placeOrder(traced: true)
        } catch {
            client.raven("order failed", error: error)
        }
        client.flush(timeout: .symbolication)
        let event = try sentryEvent(of: try #require(stream.lastMessage))
        let exception = try #require(event["sentry.interfaces.Exception"] as? [String: Any])
        #expect(exception["type"] as? String == "CheckoutError" && exception["module"] as? String == "HekaRavenTests")
        #expect(exception["value"] as? String == "checkout failed: card declined")
        #expect(event["message"] as? String == "CheckoutError: checkout failed: card declined")
    }

    @Test("captureStack sends the throw site too, and rethrows the wrapper itself")
    func captureStackUsesThrowSite() throws {
        let (client, stream) = try ravenClient()
        #expect(throws: StackTracedError<CheckoutError>.self) {
            try client.captureStack("order") { try placeOrder(traced: true) }
        }
        client.flush(timeout: .symbolication)
        let (culprit, innermost) = try culpritAndInnermost(stream)
        #expect(culprit.contains("declineCard") && innermost.contains("declineCard"))
    }

    @Test("an error of one's own that conforms to StackTracingError gives its throw site")
    func ownConformance() throws {
        let (client, stream) = try ravenClient()
        do {
            try refusePayment()
        } catch {
            client.raven("refused", error: error)
        }
        client.flush(timeout: .symbolication)
        let (culprit, _) = try culpritAndInnermost(stream)
        #expect(culprit.contains("refusePayment"))
        let event = try sentryEvent(of: try #require(stream.lastMessage))
        #expect((event["sentry.interfaces.Exception"] as? [String: Any])?["type"] as? String == "DeclinedPayment")
    }

    @Test("nested wrappers report the innermost error and its throw site")
    func nested() {
        let inner = StackTracedError(CheckoutError("x"))
        let outer = StackTracedError(inner)
        let (reported, backtrace) = ThrowSite.unwrap(outer)
        #expect(reported is CheckoutError)
        #expect(backtrace?.frames.map(\.originalProgramCounter) == inner.throwSite.backtrace?.frames.map(\.originalProgramCounter))
    }
}
