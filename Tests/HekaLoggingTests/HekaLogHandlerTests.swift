import Foundation
import HekaClient
import HekaLogging
import Logging
import Streams
import Testing

/// The trace id a request runs under, read by a metadata provider.
enum RequestContext {
    @TaskLocal static var traceID: String?

    static let provider = Logger.MetadataProvider {
        traceID.map { ["trace-id": .string($0)] } ?? [:]
    }
}

@Suite struct HekaLogHandlerTests {
    @Test("an info call becomes one oldstyle message: label, severity, payload, metadata and call site")
    func infoMessage() throws {
        let (logger, stream, _) = capturingLogger()
        let before = Int64(Date().timeIntervalSince1970 * 1e9)
        logger.info("basket saved", metadata: ["items": "3"]); let line = #line
        let after = Int64(Date().timeIntervalSince1970 * 1e9)
        #expect(stream.count == 1)
        let message = try #require(stream.lastMessage)
        #expect(message.type == "oldstyle" && message.type == HekaClient.oldstyleType)
        #expect(message.logger == "shop.basket")
        #expect(message.severity == .informational)
        #expect(message.payload == "basket saved")
        #expect(message.envVersion == Message.defaultEnvVersion)
        #expect(message.pid == ProcessInfo.processInfo.processIdentifier)
        #expect(message.hostname == ProcessInfo.processInfo.hostName || !message.hostname.isEmpty)
        #expect((before...after).contains(message.timestamp))
        #expect(message.fields == [
            Field(name: "items", value: "3"),
            Field(name: "file", value: "HekaLoggingTests/HekaLogHandlerTests.swift"),
            Field(name: "line", value: FieldValue(line)),
        ])
    }

    @Test("each level has its severity: trace and debug 7, info 6, notice 5, warning 4, error 3, critical 2")
    func severities() throws {
        var (logger, stream, _) = capturingLogger()
        logger.logLevel = .trace
        for level in Logger.Level.allCases { logger.log(level: level, "at \(level)") }
        let sent = stream.messages
        #expect(sent.map(\.payload) == Logger.Level.allCases.map { "at \($0)" })
        #expect(sent.map(\.severity.rawValue) == [7, 7, 6, 5, 4, 3, 2])
        #expect(Logger.Level.allCases.map { Severity($0).rawValue } == [7, 7, 6, 5, 4, 3, 2])
    }

    @Test("every kind of metadata value becomes typed fields, sorted, dictionaries dotted, arrays several values")
    func metadataKinds() throws {
        let (logger, stream, _) = capturingLogger(configuration: .init(sourceFields: .none))
        logger.info("kinds", metadata: [
            "text": "plain",
            "number": .stringConvertible(42),
            "http": ["status": "200", "route": ["name": "home"]],
            "tags": ["a", "b", "c"],
            "mixed": ["x", .stringConvertible(2.5), ["k": "v"], ["n"]],
            "none": [],
            "": "a field needs a name",
        ])
        let message = try #require(stream.lastMessage)
        #expect(message.fields == [
            Field(name: "http.route.name", value: "home"),
            Field(name: "http.status", value: "200"),
            Field(name: "mixed", value: .strings(["x", "2.5", #"["k": "v"]"#, #"["n"]"#])),
            Field(name: "none", value: .strings([])),
            Field(name: "number", value: "42"),
            Field(name: "tags", value: .strings(["a", "b", "c"])),
            Field(name: "text", value: "plain"),
        ])
    }

    @Test("metadata merges as swift-log's handlers merge it: handler < provider < call")
    func metadataPrecedence() throws {
        let provider = Logger.MetadataProvider {
            ["both-hp": "provider", "both-pc": "provider", "all": "provider", "p": "provider"]
        }
        var (logger, stream, _) = capturingLogger(
            configuration: .init(sourceFields: .none), metadataProvider: provider)
        logger[metadataKey: "both-hp"] = "handler"
        logger[metadataKey: "both-hc"] = "handler"
        logger[metadataKey: "all"] = "handler"
        logger[metadataKey: "h"] = "handler"
        logger.info("merged", metadata: ["both-pc": "call", "both-hc": "call", "all": "call", "c": "call"])
        let message = try #require(stream.lastMessage)
        #expect(message.fields == [
            Field(name: "all", value: "call"),
            Field(name: "both-hc", value: "call"),
            Field(name: "both-hp", value: "provider"),
            Field(name: "both-pc", value: "call"),
            Field(name: "c", value: "call"),
            Field(name: "h", value: "handler"),
            Field(name: "p", value: "provider"),
        ])
        // The handler's own metadata is unchanged by a call's.
        logger.info("again")
        #expect(stream.lastMessage?.field("all") == "provider" && stream.lastMessage?.field("c") == nil)
    }

    @Test("a metadata provider adds the trace id of the task a call runs in, and only then")
    func traceIDsFromProvider() async throws {
        let (logger, stream, _) = capturingLogger(
            configuration: .init(sourceFields: .none), metadataProvider: RequestContext.provider)
        await RequestContext.$traceID.withValue("4bf92f3577b34da6") {
            logger.info("in request")
            await Task.yield()
            logger.info("still in request", metadata: ["step": "2"])
        }
        logger.info("outside")
        let sent = stream.messages
        #expect(sent.map(\.payload) == ["in request", "still in request", "outside"])
        #expect(sent[0].fields == [Field(name: "trace-id", value: "4bf92f3577b34da6")])
        #expect(sent[1].fields == [Field(name: "step", value: "2"), Field(name: "trace-id", value: "4bf92f3577b34da6")])
        #expect(sent[2].fields.isEmpty)
    }

    @Test("a call's error is sent as error.message and error.type, as StreamLogHandler adds them")
    func errorArgument() throws {
        let (logger, stream, _) = capturingLogger(configuration: .init(sourceFields: .none))
        logger.error("checkout failed", error: PaymentError(reason: "card declined"), metadata: ["order": "17"])
        let message = try #require(stream.lastMessage)
        #expect(message.severity == .error)
        #expect(message.fields == [
            Field(name: "error.message", value: "payment refused: card declined"),
            Field(name: "error.type", value: "HekaLoggingTests.PaymentError"),
            Field(name: "order", value: "17"),
        ])
    }

    @Test("the message type can be configured")
    func messageType() throws {
        let (logger, stream, _) = capturingLogger(configuration: .init(messageType: "applog"))
        logger.notice("configured")
        #expect(stream.lastMessage?.type == "applog" && stream.lastMessage?.severity == .notice)
    }

    @Test("a logger copy with other metadata or level changes only itself: value semantics")
    func valueSemantics() throws {
        var (logger, stream, _) = capturingLogger(configuration: .init(sourceFields: .none))
        logger[metadataKey: "shared"] = "yes"
        var copy = logger
        copy[metadataKey: "copy"] = "only"
        copy.logLevel = .error
        logger.info("original")
        copy.info("refused by the copy's level")
        copy.error("copy")
        #expect(stream.messages.map(\.payload) == ["original", "copy"])
        #expect(stream.messages.map(\.fieldNames) == [["shared"], ["copy", "shared"]])
    }
}
