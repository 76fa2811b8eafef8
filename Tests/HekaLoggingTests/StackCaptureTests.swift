import Foundation
import HekaClient
import HekaLogging
import HekaRaven
import Logging
import Testing

/// The Sentry event in a raven message's payload, read with Foundation's JSON parser.
func sentryEvent(of message: Message) throws -> [String: Any] {
    let json = try SentryPayload.unpack(message.payload)
    return try #require(try JSONSerialization.jsonObject(with: Data(json)) as? [String: Any])
}

@Suite struct StackCaptureTests {
    @Test("switched off (the default), an error call sends only its log message")
    func offByDefault() throws {
        let (logger, stream, client) = capturingLogger()
        logger.error("payment failed", error: PaymentError(reason: "card declined"))
        logger.critical("out of stock")
        client.flush(timeout: .symbolication)
        #expect(stream.messages.map(\.type) == ["oldstyle", "oldstyle"])
    }

    @Test("switched on for errors: an error call also sends a stacktrace message at severity 3; a warning does not")
    func errorsSendTheirStack() throws {
        let configuration = HekaLogHandler.Configuration(stackCapture: .errors)
        let (logger, stream, client) = capturingLogger(label: "shop.payment", configuration: configuration)
        logger.warning("slow payment", error: PaymentError(reason: "timeout"))
        logger.error("payment failed", metadata: ["order": "17", "basket": ["items": "3"]]); let line = #line
        client.flush(timeout: .symbolication)  // a new call path is symbolicated in the background
        let sent = stream.messages
        #expect(sent.map(\.type).sorted() == ["oldstyle", "oldstyle", "stacktrace"])
        #expect(sent.filter { $0.type == "oldstyle" }.map(\.payload) == ["slow payment", "payment failed"])
        let raven = try #require(sent.first { $0.type == "stacktrace" })
        #expect(raven.severity == .error && raven.severity.rawValue == 3)
        #expect(raven.field("msg") == "payment failed")

        let event = try sentryEvent(of: raven)
        #expect(event["message"] as? String == "payment failed")
        let extra = try #require(event["extra"] as? [String: Any])
        #expect(extra["order"] as? String == "17")
        #expect((extra["basket"] as? [String: Any])?["items"] as? String == "3")
        #expect(extra["logger"] as? String == "shop.payment" && extra["level"] as? String == "error")
        #expect(extra["file"] as? String == "HekaLoggingTests/StackCaptureTests.swift")
        #expect(extra["line"] as? Int == line)
        let stacktrace = try #require(event["sentry.interfaces.Stacktrace"] as? [String: Any])
        let frames = try #require(stacktrace["frames"] as? [[String: Any]])
        #expect(frames.contains { ($0["function"] as? String)?.contains("errorsSendTheirStack") == true })
        // The handler's and swift-log's frames are left out: the culprit is the caller.
        #expect((event["culprit"] as? String)?.contains("errorsSendTheirStack") == true)
    }

    @Test("errors and attached errors: a notice carrying an error in its metadata sends a stack with that exception")
    func attachedErrorsSendTheirStack() throws {
        let configuration = HekaLogHandler.Configuration(stackCapture: .errorsAndAttachedErrors)
        let (logger, stream, client) = capturingLogger(configuration: configuration)
        logger.notice("retrying", metadata: ["cause": .stringConvertible(PaymentError(reason: "busy"))])
        logger.info("no error here")
        client.flush(timeout: .symbolication)
        let sent = stream.messages
        #expect(sent.map(\.type).sorted() == ["oldstyle", "oldstyle", "stacktrace"])
        let raven = try #require(sent.first { $0.type == "stacktrace" })
        let event = try sentryEvent(of: raven)
        let exception = try #require(event["sentry.interfaces.Exception"] as? [String: Any])
        #expect(exception["type"] as? String == "PaymentError")
        #expect(exception["value"] as? String == "payment refused: busy")
        // The log message keeps the value as its description.
        #expect(sent.first { $0.payload == "retrying" }?.field("cause") == "payment refused: busy")
    }

    @Test("the policy's decision, level by level")
    func policy() {
        let errors = HekaLogHandler.StackCapture.errors
        #expect(Logger.Level.allCases.filter { errors.captures($0, errorAttached: false) } == [.error, .critical])
        #expect(!errors.captures(.warning, errorAttached: true))
        #expect(HekaLogHandler.StackCapture.errorsAndAttachedErrors.captures(.debug, errorAttached: true))
        #expect(!Logger.Level.allCases.contains { HekaLogHandler.StackCapture.never.captures($0, errorAttached: true) })
    }
}
