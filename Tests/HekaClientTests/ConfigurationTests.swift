import Foundation
import LoopbackSupport
import Streams
import Testing

@testable import HekaClient

/// heka-py's test plugin (`heka/tests/plugin.py`): built from any keys; called with
/// `verbose: true` it returns its settings, without `verbose`, when the configuration also
/// said `verbose`.
struct DummyPlugin: HekaPlugin {
    static let pluginName = "dummy"
    static let providerNames = ["heka.tests.plugin:config_plugin", "heka.tests.plugin.config_plugin"]
    let verbose: Bool
    let settings: [String: ConfigurationValue]

    init(arguments: ConfigurationSection) throws(ConfigurationError) {
        verbose = try arguments.bool("verbose") ?? false
        var settings: [String: ConfigurationValue] = [:]
        for entry in arguments.entries where entry.key != "verbose" { settings[entry.key] = entry.value }
        self.settings = settings
    }

    func call(verbose: Bool) -> [String: ConfigurationValue]? { self.verbose && verbose ? settings : nil }
}

/// heka-py's `heka/tests/plugin_exception.py`: a plugin that wants the name `exception`.
struct ExceptionPlugin: HekaPlugin {
    static let pluginName = "exception"
    static let providerNames = ["heka.tests.plugin_exception:config_plugin"]
    init(arguments: ConfigurationSection) throws(ConfigurationError) {}
}

/// A plugin that accepts only `level`.
struct StrictPlugin: HekaPlugin {
    static let pluginName = "strict"
    static let acceptedKeys: [String]? = ["level"]
    let level: Int
    init(arguments: ConfigurationSection) throws(ConfigurationError) {
        level = try arguments.integer("level", in: 1...3) ?? 1
    }
}

/// A registry holding the test plugins.
func testRegistry() -> PluginRegistry {
    let registry = PluginRegistry()
    registry.register(DummyPlugin.self)
    registry.register(ExceptionPlugin.self)
    return registry
}

/// Loads INI text with the test plugins registered and an environment of the test's own.
func load(_ text: String, section: String = "heka", environment: [String: String] = [:]) throws(ConfigurationError)
    -> HekaConfiguration
{
    try HekaConfiguration(iniText: text, section: section, path: "test.ini", environment: environment,
                          registry: testRegistry())
}

/// The debug capture stream a configured client writes to.
func captured(_ client: HekaClient) throws -> DebugCaptureStream {
    try #require(client.stream as? DebugCaptureStream)
}

@Suite struct ConfigurationTests {
    // MARK: heka-py's own tests (heka/tests/test_config.py), loaded unchanged

    @Test("test_simple_config: a DebugCaptureStream by its Python name")
    func simpleConfig() throws {
        let configuration = try load("""
            [heka_config]
            stream_class = heka.streams.DebugCaptureStream
            """, section: "heka_config")
        #expect(configuration.stream == .debugCapture())
        let client = try HekaClient(configuration: configuration)
        client.info("hello")
        #expect(try captured(client).lastMessage?.payload == "hello")
    }

    @Test("test_environ_vars: ${VAR} picks the stream class; an unset one is an error")
    func environmentVariables() throws {
        let text = """
            [test1]
            stream_class = ${SENDER_TEST}
            """
        let configuration = try load(text, section: "test1",
                                     environment: ["SENDER_TEST": "heka.streams.DebugCaptureStream"])
        #expect(configuration.stream == .debugCapture())
        let error = #expect(throws: ConfigurationError.self) { try load(text, section: "test1") }
        #expect(error?.code == .missingEnvironmentVariable)
        #expect(error?.description == "test.ini:2: [test1] stream_class: the environment variable SENDER_TEST is not set")
    }

    @Test("test_filters_config: severity_max and a multi-line type whitelist, in file order")
    func filtersConfig() throws {
        let configuration = try load("""
            [heka]
            stream_class = heka.streams.DebugCaptureStream
            [heka_filter_sev_max]
            provider = heka.filters.severity_max_provider
            severity = 6
            [heka_filter_type_whitelist]
            provider = heka.filters.type_whitelist_provider
            types = foo
                    bar
                    baz
            """)
        #expect(configuration.filters == [.severityMax(6), .typeWhitelist(["foo", "bar", "baz"])])
        let client = try HekaClient(configuration: configuration)
        client.heka(type: "bar", severity: 6, payload: "kept")
        client.heka(type: "bar", severity: 7, payload: "too verbose")
        client.heka(type: "bawlp", severity: 6, payload: "not listed")
        #expect(try captured(client).messages.map(\.payload) == ["kept"])
        #expect(client.statistics.messagesFiltered == 2)
    }

    @Test("test_plugins_config: the dummy plugin gets every key, typed")
    func pluginsConfig() throws {
        let configuration = try load("""
            [heka]
            stream_class = heka.streams.DebugCaptureStream
            [heka_plugin_dummy]
            provider=heka.tests.plugin:config_plugin
            verbose=True
            foo=bar
            some_list = dog
                        cat
                        bus
            port=8080
            host=lolcathost
            """)
        let client = try HekaClient(configuration: configuration)
        let dummy = try #require(client.plugin(named: "dummy") as? DummyPlugin)
        #expect(dummy.call(verbose: true) == [
            "host": .string("lolcathost"), "foo": .string("bar"),
            "some_list": .list([.string("dog"), .string("cat"), .string("bus")]), "port": .integer(8080),
        ])
        #expect(dummy.call(verbose: false) == nil)
        #expect(client.plugin(DummyPlugin.self) != nil)
    }

    @Test("test_plugin_override: override binds under the plugin's name; a reserved name without it fails")
    func pluginOverride() throws {
        let overridden = try load("""
            [heka]
            stream_class = heka.streams.DebugCaptureStream

            [heka_plugin_exception]
            override=True
            provider=heka.tests.plugin:config_plugin
            """)
        #expect(try HekaClient(configuration: overridden).plugins.names == ["dummy"])

        let error = #expect(throws: ConfigurationError.self) {
            try load("""
                [heka]
                stream_class = heka.streams.DebugCaptureStream
                [heka_plugin_exception]
                provider=heka.tests.plugin_exception:config_plugin
                """)
        }
        #expect(error?.code == .nameClash)
        #expect(error?.section == "heka_plugin_exception")
        #expect(error?.line == 3)
    }

    @Test("test_load_config_multiple_times and test_clients_expose_configuration: the dictionary is reusable")
    func loadTwice() throws {
        let dictionary: [String: Any] = [
            "logger": "addons-marketplace-dev",
            "stream": ["class": "heka.streams.UdpStream", "host": ["127.0.0.1", "localhost"], "port": "5566"],
        ]
        let first = try HekaConfiguration(dictionary: dictionary)
        let second = try HekaConfiguration(dictionary: dictionary)
        #expect(first.iniText() == second.iniText())
        #expect(first.stream == .udp(destinations: [.init(host: "127.0.0.1", port: 5566), .init(host: "localhost", port: 5566)]))
        #expect(first.logger == "addons-marketplace-dev")

        // Two clients from one dictionary behave alike: same filters, same defaults.
        let filtered: [String: Any] = [
            "logger": "twice", "stream": ["class": "debug"],
            "filters": [("heka.filters.type_blacklist_provider", ["types": ["noise"]])],
        ]
        var payloads: [[String]] = []
        for _ in 0..<2 {
            let client = try HekaClient(configuration: HekaConfiguration(dictionary: filtered))
            client.heka(type: "noise", payload: "dropped")
            client.heka(type: "signal", payload: "kept")
            let messages = try captured(client).messages
            #expect(messages.allSatisfy { $0.logger == "twice" })
            payloads.append(messages.map(\.payload))
        }
        #expect(payloads == [["kept"], ["kept"]])
    }

    @Test("test_configure_with_hmac: [heka_config_hmac] signs every record with SHA1")
    func hmacConfig() throws {
        let configuration = try load("""
            [heka_config]
            stream_class = heka.streams.DebugCaptureStream

            [heka_config_hmac]
            signer = some_signer_name
            key_version = 2
            hash_function = SHA1
            key = some_key_value

            """, section: "heka_config")
        let expected = try HMACSigner(signer: "some_signer_name", keyVersion: 2, hashFunction: .sha1, key: "some_key_value")
        #expect(configuration.hmac == expected)
        let client = try HekaClient(configuration: configuration)
        client.info("signed")
        let record = try #require(try captured(client).last)
        let events = RecordDecoder.decodeAll(record, keys: [expected])
        guard case .record(let decoded)? = events.first else {
            Issue.record("expected a record, got \(events)")
            return
        }
        #expect(decoded.verified)
        #expect(decoded.header.hmacSigner == "some_signer_name" && decoded.header.hmacKeyVersion == 2)
        // The same record is refused under another key.
        let wrong = try HMACSigner(signer: "some_signer_name", keyVersion: 2, hashFunction: .sha1, key: "other")
        guard case .error? = RecordDecoder.decodeAll(record, keys: [wrong]).first else {
            Issue.record("a record signed with another key verified")
            return
        }
    }

    // MARK: heka-py's documentation (docs/source/config.rst)

    @Test("the documented [heka] section and filters, and the equivalent dictionary, load alike")
    func documentedExample() throws {
        let ini = try load("""
            [heka]
            logger = myapp
            severity = 4
            disabled_timers = foo
                              bar
            stream_class = heka.streams.UdpStream
            stream_host = localhost
            stream_port = 5565

            [heka_filter_sev_max]
            provider = heka.filters.severity_max_provider
            severity = 4

            [heka_filter_type_whitelist]
            provider = heka.filters.type_whitelist_provider
            types = timer
                    oldstyle
            """)
        let dictionary = try HekaConfiguration(dictionary: [
            "logger": "myapp", "severity": 4, "disabled_timers": ["foo", "bar"],
            "stream": ["class": "heka.streams.UdpStream", "host": "localhost", "port": 5565],
            "filters": [
                ("heka.filters.severity_max", ["severity": 4]),
                ("heka.filters.type_whitelist", ["types": ["timer", "oldstyle"]]),
            ],
        ])
        for configuration in [ini, dictionary] {
            #expect(configuration.logger == "myapp")
            #expect(configuration.severity == .warning)
            #expect(configuration.disabledTimers == ["foo", "bar"])
            #expect(configuration.stream == .udp(host: "localhost", port: 5565))
            #expect(configuration.filters == [.severityMax(.warning), .typeWhitelist(["timer", "oldstyle"])])
        }
        #expect(ini.iniText() == dictionary.iniText())
    }

    @Test("the documented stream examples load, each to its stream")
    func documentedStreams() throws {
        let cases: [(String, StreamConfiguration)] = [
            ("stream_class = heka.streams.DebugCaptureStream\nencoder = heka.encoders.ProtobufEncoder", .debugCapture()),
            ("stream_class = heka.streams.StdOutStream", .standardOutput),
            ("stream_class = heka.streams.TcpStream\nstream_host = 192.168.20.2\nstream_port = 5566",
             .tcp(host: "192.168.20.2", port: 5566)),
            ("stream_class = heka.streams.UdpStream\nstream_host = 192.168.20.2\nstream_port = 5565",
             .udp(host: "192.168.20.2", port: 5565)),
            ("stream_class = heka.streams.FileStream\nstream_filepath = /tmp/heka.log", .file(path: "/tmp/heka.log")),
        ]
        for (keys, stream) in cases {
            #expect(try load("[heka]\n" + keys).stream == stream, "\(keys)")
        }
    }

    @Test("the documented plugin dictionary: name -> (provider, arguments), as a tuple or an array")
    func documentedPluginDictionary() throws {
        for pair in [("heka.tests.plugin:config_plugin", ["port": 8080, "host": "localhost"]) as Any,
                     ["heka.tests.plugin:config_plugin", ["port": 8080, "host": "localhost"]] as [Any]] {
            let configuration = try HekaConfiguration(
                dictionary: ["stream": ["class": "heka.streams.DebugCaptureStream"], "plugins": ["dummy": pair]],
                registry: testRegistry())
            let plugin = try #require(configuration.plugins.first?.plugin as? DummyPlugin)
            #expect(plugin.settings == ["port": .integer(8080), "host": .string("localhost")])
        }
    }

    // MARK: This project's names and additions

    @Test("short names load like the Python ones")
    func shortNames() throws {
        let configuration = try load("""
            [heka]
            stream_class = udp
            stream_host = 127.0.0.1
                          ::1
            stream_port = 5565
            stream_max_datagram_size = 8192
            encoder = protobuf
            severity = warning
            [heka_filter_a]
            provider = type_blacklist
            types = noise
            [heka_filter_b]
            provider = type_severity_max
            types = timer:4
                    counter:error
            """)
        #expect(configuration.stream == .udp(
            destinations: [.init(host: "127.0.0.1", port: 5565), .init(host: "::1", port: 5565)], maxDatagramSize: 8192))
        #expect(configuration.encoder == .protobuf)
        #expect(configuration.severity == .warning)
        #expect(configuration.filters == [.typeBlacklist(["noise"]), .typeSeverityMax(["timer": .warning, "counter": .error])])
    }

    @Test("type_severity_max from a dictionary, as heka-py documents it")
    func typeSeverityMaxDictionary() throws {
        let configuration = try HekaConfiguration(dictionary: [
            "stream": ["class": "debug"],
            "filters": [["heka.filters.type_severity_max_provider",
                         ["types": ["timer": ["severity": 4], "counter": ["severity": 6]]]]],
        ])
        #expect(configuration.filters == [.typeSeverityMax(["timer": .warning, "counter": .informational])])
        let client = try HekaClient(configuration: configuration)
        client.heka(type: "timer", severity: 5, payload: "dropped")
        client.heka(type: "timer", severity: 4, payload: "kept")
        client.heka(type: "other", severity: 7, payload: "not limited")
        #expect(try captured(client).messages.map(\.payload) == ["kept", "not limited"])
    }

    @Test("text keys keep what was written: a signer or key of digits is not an integer")
    func textStaysText() throws {
        let configuration = try load("""
            [heka]
            logger = 007
            stream_class = debug
            [heka_hmac]
            signer = 0042
            key_version = 1
            key = 0123
            """)
        #expect(configuration.logger == "007")
        #expect(configuration.hmac == (try HMACSigner(signer: "0042", keyVersion: 1, key: "0123")))
    }

    @Test("the default: standard output, JSON lines, severity 6, no logger")
    func defaults() throws {
        let configuration = try load("[heka]\n")
        #expect(configuration.stream == .standardOutput)
        #expect(configuration.encoder == .automatic)
        #expect(configuration.severity == .informational)
        #expect(configuration.logger == "")
        let client = try HekaClient(configuration: configuration)
        #expect(client.encoder is JSONLinesEncoder)
    }

    @Test("a file stream from configuration appends to its file")
    func fileStream() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("heka-config-\(UUID()).log").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let client = try HekaClient(configuration: load("""
            [heka]
            logger = files
            stream_class = heka.streams.FileStream
            stream_filepath = \(path)
            """))
        client.info("to the file")
        client.close()
        let bytes = try #require(FileManager.default.contents(atPath: path))
        guard case .record(let record)? = RecordDecoder.decodeAll(Array(bytes)).first else {
            Issue.record("the file holds no record")
            return
        }
        #expect(record.message.payload == "to the file" && record.message.logger == "files")
    }

    @Test("a UDP stream from configuration reaches a loopback receiver")
    func udpStream() throws {
        let receiver = try LoopbackUDPReceiver()
        let client = try HekaClient(configuration: HekaConfiguration(dictionary: [
            "logger": "udp-test", "stream_class": "heka.streams.UdpStream", "stream_host": "127.0.0.1",
            "stream_port": receiver.port,
        ]))
        client.incr("hits")
        let datagram = try #require(receiver.receive())
        guard case .record(let record)? = RecordDecoder.decodeAll(datagram).first else {
            Issue.record("the datagram holds no record")
            return
        }
        #expect(record.message.type == "counter" && record.message.logger == "udp-test")
    }

    @Test("the INI text masks secrets and loads back to the same configuration; the description is one line")
    func printout() throws {
        let configuration = try load("""
            [heka]
            logger = shop
            severity = 3
            disabled_timers = slow
            stream_class = tcp
            stream_host = 127.0.0.1
            stream_port = 5565
            [heka_filter_1]
            provider = severity_max
            severity = 5
            [heka_plugin_dummy]
            provider = heka.tests.plugin:config_plugin
            dsn = https://public:topsecret@sentry.example.com/2
            api_key = hunter2
            [heka_hmac]
            signer = ops
            key_version = 3
            hash_function = MD5
            key = sesame
            """)
        #expect(configuration.description == "[heka] logger=shop severity=error stream=tcp host=127.0.0.1 port=5565 "
            + "queue_capacity=10000 encoder=automatic disabled_timers=slow filters=severity_max plugins=dummy hmac=ops:3:MD5")
        let text = configuration.iniText()
        #expect(!text.contains("topsecret") && !text.contains("hunter2") && !text.contains("sesame"))
        #expect(text.contains("dsn = https://public:********@sentry.example.com/2"))
        #expect(text.contains("key = ********"))
        let reloaded = try load(text)
        #expect(reloaded.iniText() == text)
        #expect(reloaded.stream == configuration.stream && reloaded.filters == configuration.filters)
        #expect(reloaded.disabledTimers == ["slow"] && reloaded.severity == .error)
    }

    @Test("a printout with lists, several UDP destinations and empty plugin values loads back to itself")
    func printoutOfListsAndEmptyValues() throws {
        // Found by FuzzINI: an empty value was left out of the printout, so a plugin that
        // was given `dsn =` lost the key on reloading.
        let configuration = try load("""
            [heka]
            logger = ${HOME}
            disabled_timers = foo
                bar
            stream_class = heka.streams.UdpStream
            stream_host = 127.0.0.1
                ::1
            stream_port = 5565
            [heka_filter_type_whitelist]
            provider = heka.filters.type_whitelist_provider
            types = foo
                bar
            [heka_plugin_dummy]
            provider = heka.tests.plugin:config_plugin
            dsn =
            """, environment: ["HOME": "/home/h"])
        let text = configuration.iniText()
        #expect(text.contains("\ndsn =\n"))
        let reloaded = try load(text)
        #expect(reloaded.iniText() == text)
        #expect(reloaded.stream == configuration.stream && reloaded.filters == configuration.filters)
        #expect(reloaded.plugins.first?.arguments.entries.map(\.key) == ["dsn"])
    }

    @Test("an empty HMAC signer is refused, as a missing one is")
    func emptySigner() {
        let error = #expect(throws: ConfigurationError.self) {
            try load("[heka]\n[heka_hmac]\nsigner =\nkey_version = 1\nkey = k")
        }
        #expect(error?.description == "test.ini:3: [heka_hmac] signer: HMAC signing needs a signer name")
    }

    @Test("a dictionary read by JSONSerialization keeps its numbers and booleans apart")
    func foundationNumbers() throws {
        // Foundation gives NSNumber for both, and a plain `as? Bool` reads any 1 as true.
        let json = #"""
            {"severity": 3, "stream": {"class": "udp", "host": "127.0.0.1", "port": 5565},
             "hmac": {"signer": "ops", "key_version": 1, "key": "sesame", "hash_function": "SHA1"},
             "filters": [["severity_max", {"severity": 4}]],
             "plugins": {"dummy": ["heka.tests.plugin:config_plugin", {"flag": true, "ratio": 0.5, "count": 1}]}}
            """#
        let dictionary = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let configuration = try HekaConfiguration(dictionary: dictionary, registry: testRegistry())
        #expect(configuration.severity == .error)
        #expect(configuration.stream == .udp(host: "127.0.0.1", port: 5565))
        #expect(configuration.hmac?.keyName == "ops_1" && configuration.hmac?.hashFunction == .sha1)
        let arguments = try #require(configuration.plugins.first?.arguments)
        #expect(arguments.entries.map(\.key) == ["count", "flag", "ratio"])
        #expect(arguments.entries.map(\.value) == [.integer(1), .bool(true), .double(0.5)])
    }

    @Test("values that start with ; or # print so that they load back")
    func printoutOfCommentCharacters() throws {
        // Found by FuzzINI: `logger =;x` printed as `logger = ;x`, which reads as a comment.
        let configuration = try load("""
            [heka]
            logger =;shop
            disabled_timers =#first
                second
            [heka_filter_1]
            provider = type_whitelist
            types =;a
                b
            """)
        #expect(configuration.logger == ";shop" && configuration.disabledTimers == ["#first", "second"])
        let text = configuration.iniText()
        let reloaded = try load(text)
        #expect(reloaded.iniText() == text)
        #expect(reloaded.logger == ";shop" && reloaded.disabledTimers == ["#first", "second"])
        #expect(reloaded.filters == configuration.filters)
    }

    @Test("two plugin sections binding one name print as two sections that load back")
    func printoutOfOverriddenPlugin() throws {
        // Found by FuzzINI: both printed as [heka_plugin_dummy], which loads as one section.
        let configuration = try load("""
            [heka]
            [heka_plugin_first]
            provider = heka.tests.plugin:config_plugin
            port = 1
            [heka_plugin_second]
            provider = heka.tests.plugin:config_plugin
            override = true
            port = 2
            """)
        let text = configuration.iniText()
        #expect(text.contains("[heka_plugin_dummy]") && text.contains("[heka_plugin_dummy_2]"))
        let reloaded = try load(text)
        #expect(reloaded.iniText() == text)
        #expect(reloaded.plugins.map(\.override) == [false, true])
    }
}
