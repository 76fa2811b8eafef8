import HekaClient
import Streams
import Synchronization
import Testing

@testable import HekaRaven

/// The warnings the raven plugin printed while a configuration was loaded.
final class PluginWarnings: Sendable {
    private let lines = Mutex<[String]>([])

    var all: [String] { lines.withLock { $0 } }

    /// Runs `body` with the plugin's warnings kept here instead of going to standard error.
    func collect<Result>(_ body: () throws -> Result) rethrows -> Result {
        try RavenPlugin.$warn.withValue({ line in self.lines.withLock { $0.append(line) } }, operation: body)
    }
}

/// heka-py-raven's documentation, loaded and used as written: its destination is a relay's
/// business, so `dsn = udp://` is accepted, with one warning, and events go without a `dsn`.
@Suite struct HekaPyRavenDocsTests {
    /// The dictionaries of heka-py-raven's documentation, with the two optional settings it
    /// names added.
    static let dictionaries: [(stream: String, provider: String)] = [
        ("heka.streams.StdOutStream", "heka_raven.raven_plugin:config_plugin"),
        ("heka.senders.StdOutStream", "metlog_raven.raven_plugin:config_plugin"),
        ("heka.streams.StdOutStream", "heka.raven_plugin:config_plugin"),
    ]

    /// Builds a client from `configuration` writing to memory (the documented stream is
    /// standard output), sends two captures from one call path, and returns the last
    /// message with the warnings.
    func sendTwice(_ configuration: HekaConfiguration) throws -> Message {
        var configuration = configuration
        configuration.stream = .debugCapture()
        let client = try HekaClient(configuration: configuration, errorHandler: .ignore)
        for _ in 0..<2 { client.raven("the documented example") }
        client.flush(timeout: .symbolication)
        let stream = try #require(client.stream as? DebugCaptureStream)
        #expect(stream.messages.count == 2)
        return try #require(stream.lastMessage)
    }

    @Test("the documented INI section with dsn = udp:// loads with one warning; events carry no dsn")
    func iniSection() throws {
        let warnings = PluginWarnings()
        let configuration = try warnings.collect {
            try HekaConfiguration(iniText: """
                [heka]
                stream_class = heka.streams.StdOutStream

                [heka_plugin_raven]
                provider=heka_raven.raven_plugin:config_plugin
                dsn = udp://
                logger = crashes
                severity = 2
                """, path: "app.ini", environment: [:], registry: ravenRegistry)
        }
        #expect(configuration.stream == .standardOutput)
        let message = try sendTwice(configuration)
        #expect(message.logger == "crashes" && message.severity == .critical && message.type == "stacktrace")
        #expect(message.fields.map(\.name) == ["msg", "epoch_timestamp"])
        #expect(try sentryEvent(of: message)["message"] as? String == "the documented example")
        #expect(warnings.all == ["app.ini:6: [heka_plugin_raven] dsn: not a complete Sentry DSN (a DSN has a key "
            + "before \"@\"); events are sent without a dsn field, for a relay to send them to its own DSN"])
    }

    @Test("the documented dictionaries with dsn udp:// load with one warning; events carry no dsn",
          arguments: dictionaries)
    func dictionary(stream: String, provider: String) throws {
        let warnings = PluginWarnings()
        let configuration = try warnings.collect {
            try HekaConfiguration(dictionary: [
                "stream_class": stream,
                "plugins": ["raven": [provider, ["dsn": "udp://", "logger": "crashes", "severity": 2]]],
            ], registry: ravenRegistry)
        }
        #expect(configuration.stream == .standardOutput)
        #expect(configuration.plugins.map(\.name) == ["raven"])
        let message = try sendTwice(configuration)
        #expect(message.logger == "crashes" && message.severity == .critical)
        #expect(message.field("dsn") == nil && message.field("msg") == "the documented example")
        #expect(warnings.all.count == 1)
        #expect(warnings.all.first?.hasPrefix("[heka] plugins.raven.dsn: not a complete Sentry DSN") == true)
    }

    @Test("the older documentation's sender_class dictionary loads, its complete DSN sent and masked")
    func senderClassDictionary() throws {
        let dsn = "udp://username:password@sentryhost.com:9001/2"
        let warnings = PluginWarnings()
        let configuration = try warnings.collect {
            try HekaConfiguration(dictionary: [
                "sender_class": "heka.senders.StdOutSender",
                "plugins": ["raven": ["heka_raven.raven_plugin:config_plugin", ["dsn": dsn]]],
            ], registry: ravenRegistry)
        }
        #expect(warnings.all.isEmpty)
        #expect(configuration.stream == .standardOutput)
        #expect(configuration.iniText().contains("dsn = udp://username:********@sentryhost.com:9001/2"))
        #expect(!configuration.iniText().contains("password"))
        let message = try sendTwice(configuration)
        #expect(message.field("dsn") == .strings([dsn]))
        #expect(try sentryEvent(of: message)["project"] as? String == "2")
    }

    @Test("an empty or incomplete DSN is none, with a warning; a malformed one is still an error", arguments: [
        ("", "it is empty"),
        ("udp://", "a DSN has a key before \"@\""),
        ("https://sentry.example.com/1", "a DSN has a key before \"@\""),
        ("https://:secret@sentry.example.com/1", "the public key before \"@\" is empty"),
        ("https://key@/1", "the host is empty"),
        ("https://key@sentry.example.com", "a DSN ends with the project id, as in https://key@sentry.example.com/42"),
        // The key ends at the first "/" (found by fuzzing: the key took in the path): no key.
        ("https://pub:sec/ret@sentry.example.com/1", "a DSN has a key before \"@\""),
    ])
    func incompleteDSN(dsn: String, reason: String) throws {
        let warnings = PluginWarnings()
        let configuration = try warnings.collect {
            try HekaConfiguration(iniText: "[heka]\n[heka_plugin_raven]\nprovider = raven\ndsn = \(dsn)\n",
                                  path: "app.ini", environment: [:], registry: ravenRegistry)
        }
        let raven = try #require(configuration.plugins.first?.plugin as? RavenPlugin)
        #expect(raven.dsn == nil)
        #expect(warnings.all == ["app.ini:4: [heka_plugin_raven] dsn: not a complete Sentry DSN (\(reason)); events "
            + "are sent without a dsn field, for a relay to send them to its own DSN"])
        #expect(!warnings.all.joined().contains("secret"))
    }
}
