import Foundation
import HekaClient
import HekaLogging
import Logging
import Testing

@Suite struct BootstrapTests {
    /// The one test that bootstraps swift-log: `LoggingSystem.bootstrap` may run once per
    /// process (a second call stops it), and every test target of the package runs in one
    /// process, so no other test may call it. swift-log's `bootstrapInternal`, which may,
    /// is internal to it. Other tests make loggers with `Logger(label:factory:)`.
    @Test("one line from a heka.ini: the file's client, its threshold and raven section, behind Logger(label:)")
    func bootstrapFromINIFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("heka-logging-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = directory.appendingPathComponent("heka.log").path
        let ini = directory.appendingPathComponent("heka.ini").path
        try """
            [heka]
            logger = bootstrap-test
            severity_threshold = info
            stream_class = file
            stream_filepath = \(log)

            [heka_plugin_raven]
            provider = heka_raven.raven_plugin:config_plugin
            """.write(toFile: ini, atomically: true, encoding: .utf8)

        let client = try HekaLogHandler.bootstrap(iniFile: ini)
        #expect(HekaClients.shared.client(named: "bootstrap-test") === client)

        let logger = Logger(label: "shop.boot")
        #expect(logger.logLevel == .info)  // from severity_threshold
        logger.debug("below the threshold")
        logger.info("started", metadata: ["version": "1.2"])
        #expect(client.close())

        let records = RecordDecoder.decodeAll(try Data(contentsOf: URL(fileURLWithPath: log)))
        let messages = records.compactMap { event -> Message? in
            if case .record(let record) = event { record.message } else { nil }
        }
        #expect(records.count == 1 && messages.count == 1)
        let message = try #require(messages.first)
        #expect(message.type == "oldstyle" && message.logger == "shop.boot" && message.severity == .informational)
        #expect(message.payload == "started" && message.field("version") == "1.2")
    }
}
