import HekaClient
import HekaLogging
import Logging
import Testing

@Suite struct ThresholdTests {
    @Test("the handler's level starts at the client's severity threshold", arguments: [
        (Severity.debug, Logger.Level.trace), (.informational, .info), (.notice, .notice), (.warning, .warning),
        (.error, .error), (.critical, .critical), (.alert, .critical), (.emergency, .critical),
    ])
    func levelFromThreshold(threshold: Severity, level: Logger.Level) {
        #expect(Logger.Level(threshold: threshold) == level)
        let (logger, _, _) = capturingLogger(threshold: threshold)
        #expect(logger.logLevel == level)
    }

    @Test("a client threshold of warning: info is refused by swift-log, warning and above are sent")
    func clientThreshold() throws {
        let (logger, stream, client) = capturingLogger(threshold: .warning)
        logger.info("not sent")
        logger.notice("not sent")
        logger.warning("sent")
        logger.critical("sent too")
        #expect(stream.messages.map(\.payload) == ["sent", "sent too"])
        // Refused before the handler: the client never saw them.
        #expect(client.statistics.messagesFiltered == 0 && client.statistics.messagesSent == 2)
    }

    @Test("a handler level set below the client's threshold: the client still drops, and counts, the call")
    func handlerBelowClient() throws {
        var (logger, stream, client) = capturingLogger(threshold: .warning)
        logger.logLevel = .debug
        logger.info("dropped by the client")
        logger.error("sent")
        #expect(stream.messages.map(\.payload) == ["sent"])
        #expect(client.statistics.messagesFiltered == 1 && client.statistics.messagesSent == 1)
    }

    @Test("a handler level above the client's threshold is the handler's own")
    func handlerAboveClient() throws {
        var (logger, stream, _) = capturingLogger(threshold: .debug)
        logger.logLevel = .error
        logger.warning("refused")
        logger.error("sent")
        #expect(stream.messages.map(\.payload) == ["sent"])
    }

    @Test("a disabled call evaluates neither its message nor its metadata")
    func disabledCallEvaluatesNothing() throws {
        var (logger, stream, _) = capturingLogger()
        logger.logLevel = .info
        let counter = EvaluationCounter()
        logger.debug("value \(counter.next())", metadata: ["n": "\(counter.next())"])
        logger.trace("value \(counter.next())", metadata: ["n": "\(counter.next())"])
        #expect(counter.value == 0)
        #expect(stream.count == 0)
        logger.info("value \(counter.next())", metadata: ["n": "\(counter.next())"])
        #expect(counter.value == 2)  // the counter does count: an enabled call evaluates both once
        #expect(stream.lastMessage?.payload == "value 1" && stream.lastMessage?.field("n") == "2")
    }
}
