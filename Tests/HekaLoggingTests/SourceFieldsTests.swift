import HekaClient
import HekaLogging
import Logging
import Testing

@Suite struct SourceFieldsTests {
    @Test("by default: file and line")
    func standard() throws {
        let (logger, stream, _) = capturingLogger()
        logger.warning("where"); let line = #line
        let message = try #require(stream.lastMessage)
        #expect(message.fieldNames == ["file", "line"])
        #expect(message.field("file") == "HekaLoggingTests/SourceFieldsTests.swift")
        #expect(message.field("line") == FieldValue(line) && message.field("line")?.valueType == .integer)
    }

    @Test("all four, the module and the function's name included")
    func all() throws {
        let (logger, stream, _) = capturingLogger(configuration: .init(sourceFields: .all))
        logger.info("where")
        let message = try #require(stream.lastMessage)
        #expect(message.fieldNames == ["source", "file", "function", "line"])
        #expect(message.field("source") == "HekaLoggingTests")
        #expect(message.field("function") == "all()")
    }

    @Test("none, as heka-py's logging sent")
    func none() throws {
        let (logger, stream, _) = capturingLogger(configuration: .init(sourceFields: .none))
        logger.info("where")
        #expect(stream.lastMessage?.fields == [])
    }

    @Test("names of one's own, and only the fields named")
    func customNames() throws {
        let names = HekaLogHandler.SourceFields(file: "code.file", line: "code.lineno")
        let (logger, stream, _) = capturingLogger(configuration: .init(sourceFields: names))
        logger.info("where"); let line = #line
        let message = try #require(stream.lastMessage)
        #expect(message.fields == [
            Field(name: "code.file", value: "HekaLoggingTests/SourceFieldsTests.swift"),
            Field(name: "code.lineno", value: FieldValue(line)),
        ])
    }

    @Test("a call's own source is sent as it is; a metadata field of the same name takes a field's place")
    func explicitSourceAndMetadataNames() throws {
        let (logger, stream, _) = capturingLogger(configuration: .init(sourceFields: .all))
        logger.info("billed", metadata: ["line": "checkout", "function": ["name": "bill"]], source: "Billing")
        let message = try #require(stream.lastMessage)
        #expect(message.fields == [
            Field(name: "function.name", value: "bill"),
            Field(name: "line", value: "checkout"),
            Field(name: "source", value: "Billing"),
            Field(name: "file", value: "HekaLoggingTests/SourceFieldsTests.swift"),
            Field(name: "function", value: "explicitSourceAndMetadataNames()"),
        ])
    }
}
