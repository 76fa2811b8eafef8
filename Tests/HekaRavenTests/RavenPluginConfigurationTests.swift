import Foundation
import HekaClient
import Testing

@testable import HekaRaven

/// A registry holding only the raven plugin, as `RavenPlugin.register(in:)` leaves it.
let ravenRegistry: PluginRegistry = {
    let registry = PluginRegistry()
    RavenPlugin.register(in: registry)
    return registry
}()

@Suite struct RavenPluginConfigurationTests {
    @Test("a heka-py INI file with heka-py-raven's provider binds the registered raven plugin")
    func hekaPyRavenSection() throws {
        // heka-py-raven's own test configuration (heka_raven/tests/test_heka.py).
        let configuration = try HekaConfiguration(iniText: """
            [heka]
            stream_class = heka.streams.DebugCaptureStream
            encoder = heka.encoders.ProtobufEncoder

            [heka_plugin_raven]
            provider=heka_raven.raven_plugin:config_plugin
            """, registry: ravenRegistry)
        let client = try HekaClient(configuration: configuration)
        let raven = try #require(client.plugin(RavenPlugin.self))
        #expect(client.plugins.names == ["raven"])
        #expect(raven == RavenPlugin())
        #expect(raven.severity == .error && raven.messageType == "stacktrace" && raven.dsn == nil)
    }

    @Test("once registered, the raven plugin answers to heka-py's names, its own and its Swift name", arguments: [
        "heka_raven.raven_plugin:config_plugin", "heka_raven.raven_plugin.config_plugin", "raven",
        "HekaRaven.RavenPlugin", "metlog_raven.raven_plugin:config_plugin", "metlog_raven.raven_plugin.config_plugin",
        "heka.raven_plugin:config_plugin", "heka.raven_plugin.config_plugin",
    ])
    func registeredNames(provider: String) throws {
        let text = "[heka]\n[heka_plugin_x]\nprovider = \(provider)\n"
        let configuration = try HekaConfiguration(iniText: text, environment: [:], registry: ravenRegistry)
        #expect(configuration.plugins.map(\.name) == ["raven"])
        #expect(configuration.plugins.first?.plugin is RavenPlugin)
        #expect(throws: ConfigurationError.self) {
            try HekaConfiguration(iniText: text, environment: [:], registry: PluginRegistry())
        }
    }

    @Test("every option, typed")
    func allOptions() throws {
        let configuration = try HekaConfiguration(iniText: """
            [heka]
            [heka_plugin_raven]
            provider = HekaRaven.RavenPlugin
            dsn = https://public:secret@sentry.example.com:9000/sub/42
            logger = crashes
            severity = critical
            type = sentry
            include_paths = /srv/app
            exclude_paths = /usr/lib
                            /opt/swift
            context_lines = 3
            string_max_length = 200
            list_max_length = 20
            sanitize = off
            release = 1.2.3
            environment = staging
            server_name = web-1
            tags = region: eu
                   tier:gold
            """, environment: [:], registry: ravenRegistry)
        let raven = try #require(configuration.plugins.first?.plugin as? RavenPlugin)
        let dsn = try SentryDSN(parsing: "https://public:secret@sentry.example.com:9000/sub/42")
        #expect(raven == RavenPlugin(
            dsn: dsn, logger: "crashes", severity: .critical, messageType: "sentry", includePaths: ["/srv/app"],
            excludePaths: ["/usr/lib", "/opt/swift"], contextLines: 3, stringMaxLength: 200, listMaxLength: 20,
            sanitize: false, release: "1.2.3", environment: "staging", serverName: "web-1",
            tags: ["region": "eu", "tier": "gold"]))
        #expect(dsn.publicKey == "public" && dsn.secretKey == "secret" && dsn.host == "sentry.example.com")
        #expect(dsn.port == 9000 && dsn.path == "sub" && dsn.projectID == "42")
        #expect(dsn.description == "https://public:********@sentry.example.com:9000/sub/42")
        #expect(dsn.text == "https://public:secret@sentry.example.com:9000/sub/42")
        #expect(configuration.iniText().contains("dsn = https://public:********@sentry.example.com:9000/sub/42"))
        #expect(!configuration.iniText().contains("secret@"))
    }

    @Test("the dictionary form of heka-py-raven's documentation")
    func dictionaryForm() throws {
        let configuration = try HekaConfiguration(dictionary: [
            "stream_class": "heka.streams.DebugCaptureStream",
            "plugins": ["raven": ["heka_raven.raven_plugin:config_plugin", ["dsn": "udp://key@127.0.0.1:9001/1"]]],
        ], registry: ravenRegistry)
        let raven = try #require(configuration.plugins.first?.plugin as? RavenPlugin)
        #expect(raven.dsn?.scheme == "udp" && raven.dsn?.secretKey == nil && raven.dsn?.projectID == "1")
    }

    // A DSN with a part left out (no key, no project id) is read as none, with a warning
    // (HekaPyRavenDocsTests); only a malformed one is an error.
    @Test("an unknown option and a malformed DSN are errors naming the key")
    func badOptions() {
        let unknown = #expect(throws: ConfigurationError.self) {
            try HekaConfiguration(iniText: "[heka]\n[heka_plugin_raven]\nprovider = raven\nverbose = true\n",
                                  path: "app.ini", environment: [:], registry: ravenRegistry)
        }
        #expect(unknown?.code == .unknownKey)
        #expect(unknown?.description.hasPrefix("app.ini:4: [heka_plugin_raven] verbose: the raven plugin does not accept this key") == true)
        for (dsn, reason) in [
            ("sentry.example.com/1", "a DSN starts with https://, http:// or udp://"),
            ("ftp://key@host/1", "the scheme \"ftp\" is not https, http or udp"),
            ("https://key@host:99999/1", "the port is not an integer in 1–65535"),
            ("https://p@q:s@sentry.example.com/1", "the key before \"@\" contains another \"@\""),
            ("https://key@sentry.example.com/1 2", "a DSN has no spaces or control characters"),
        ] {
            let error = #expect(throws: ConfigurationError.self) {
                try HekaConfiguration(iniText: "[heka]\n[heka_plugin_raven]\nprovider = raven\ndsn = \(dsn)\n",
                                      path: "app.ini", environment: [:], registry: ravenRegistry)
            }
            #expect(error?.description == "app.ini:4: [heka_plugin_raven] dsn: not a Sentry DSN: \(reason)")
        }
        let severity = #expect(throws: ConfigurationError.self) {
            try HekaConfiguration(iniText: "[heka]\n[heka_plugin_raven]\nprovider = raven\nseverity = 12\n",
                                  environment: [:], registry: ravenRegistry)
        }
        #expect(severity?.key == "severity")
    }
}

@Suite struct ExampleConfigurationTests {
    @Test("heka.ini.example loads: JSON lines on stdout, the raven plugin bound")
    func example() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("heka.ini.example").path
        let configuration = try HekaConfiguration(iniFile: path, environment: [:], registry: ravenRegistry)
        #expect(configuration.logger == "heka-demo" && configuration.severity == .informational)
        #expect(configuration.stream == .standardOutput && configuration.encoder == .automatic)
        #expect(configuration.plugins.map(\.name) == ["raven"])
        #expect(configuration.filters.isEmpty && configuration.hmac == nil)
    }
}
