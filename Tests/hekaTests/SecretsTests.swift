import Foundation
import HekaClient
import HekaRaven
import Streams
import Testing

/// The HMAC key and the DSN's secret never appear in a printout, an error, a dump or the
/// command's output; raven events are sanitised unless told otherwise.
@Suite struct SecretsTests {
    static let key = "K3Y-ONLY-HERE"
    static let secret = "DSN-ONLY-HERE"

    static let configurationText = """
        [heka]
        logger = shop
        stream_class = udp
        stream_host = 127.0.0.1
        stream_port = 5565
        [heka_plugin_raven]
        provider = heka_raven.raven_plugin:config_plugin
        dsn = https://pub:\(secret)@sentry.example.com/2
        [heka_hmac]
        signer = ops
        key_version = 2
        hash_function = SHA1
        key = \(key)
        """

    /// Where the configuration finds the raven plugin.
    static let registry = PluginRegistry([RavenPlugin.self])

    static func leaks(_ text: String) -> Bool { text.contains(key) || text.contains(secret) }

    @Test("the printout, dump and debug description of a configuration and its parts mask both secrets")
    func printed() throws {
        let configuration = try HekaConfiguration(iniText: Self.configurationText, environment: [:],
                                                  registry: Self.registry)
        let hmac = try #require(configuration.hmac)
        let plugin = try #require(configuration.plugins.first?.plugin as? RavenPlugin)
        let dsn = try #require(plugin.dsn)
        var dumped = ""
        dump(configuration, to: &dumped)
        for text in [configuration.description, configuration.iniText(), dumped, String(reflecting: hmac),
                     String(describing: hmac), String(reflecting: dsn), String(describing: dsn)] {
            #expect(!Self.leaks(text), "\(text)")
        }
        #expect(dumped.contains("********"))
        #expect(dsn.text.contains(Self.secret))  // the message's dsn field carries it, for hekad
    }

    @Test("errors about the section holding a secret do not repeat it", arguments: [
        ("key_version = 2", "key_version = two"),
        ("hash_function = SHA1", "hash_function = \(key)"),
        ("dsn = https://pub:\(secret)@sentry.example.com/2", "dsn = https://pub:\(secret)@sentry.example.com:0/2"),
        ("dsn = https://pub:\(secret)@sentry.example.com/2", "dsn = pub:\(secret)@sentry.example.com/2://x"),
        ("dsn = https://pub:\(secret)@sentry.example.com/2", "dsn = https://pub:\(secret) @sentry.example.com/2"),
    ])
    func errors(original: String, broken: String) throws {
        let text = Self.configurationText.replacingOccurrences(of: original, with: broken)
        #expect(text != Self.configurationText)
        let error = #expect(throws: ConfigurationError.self) {
            try HekaConfiguration(iniText: text, environment: [:], registry: Self.registry)
        }
        let description = try #require(error?.description)
        #expect(!description.contains(Self.secret), "\(description)")
        if !broken.hasPrefix("hash_function") { #expect(!Self.leaks(description), "\(description)") }
    }

    @Test("heka config and heka raven-test print the configuration masked")
    func command() throws {
        let path = try temporaryFile(Self.configurationText)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let printed = try runHeka(["config", "--config", path])
        #expect(printed.status == 0)
        #expect(!Self.leaks(String(decoding: printed.stdout, as: UTF8.self) + printed.stderr))
        let raven = try runHeka(["raven-test", "--config", path, "--udp", "127.0.0.1:9"])
        #expect(!Self.leaks(String(decoding: raven.stdout, as: UTF8.self) + raven.stderr))
        let signing = try runHeka(["send", "--udp", "127.0.0.1:9", "--sign", "ops:x:\(Self.key)", "hello"])
        #expect(signing.status == 64 && !Self.leaks(signing.stderr))
    }

    @Test("raven events are sanitised by default: passwords and card numbers are masked")
    func sanitisedByDefault() throws {
        let stream = DebugCaptureStream()
        var plugins = PluginSet()
        try plugins.bind(RavenPlugin(dsn: SentryDSN(parsing: "https://pub@sentry.example.com/2")))
        let client = HekaClient(stream: stream, plugins: plugins)
        // Built at run time: the event's source context shows this file's lines.
        let password = "hunter" + String(2 * 1_000_001)
        let card = (0..<4).map { _ in String(4111) }.joined(separator: " ")
        client.raven("login failed", extra: ["password": .string(password), "card": .string(card)])
        #expect(client.flush(timeout: .seconds(120)))
        let message = try #require(stream.lastMessage)
        let json = String(decoding: try SentryPayload.unpack(message.payload), as: UTF8.self)
        #expect(json.contains("login failed"))
        #expect(!json.contains(password) && !json.contains(card))
        #expect(json.contains(#""password":"********""#) && json.contains(#""card":"********""#))
    }
}
