import Testing

@testable import HekaClient

/// Every bad input gets its own error, naming the file, line, section and key.
@Suite struct ConfigurationErrorTests {
    /// Loads `text` and returns the error it throws.
    func failure(_ text: String, environment: [String: String] = [:], sourceLocation: SourceLocation = #_sourceLocation)
        -> ConfigurationError?
    {
        #expect(throws: ConfigurationError.self, sourceLocation: sourceLocation) {
            try load(text, environment: environment)
        }
    }

    /// Expects the error's code, place and message.
    func expect(_ error: ConfigurationError?, _ code: ConfigurationError.Code, line: Int?, section: String?, key: String?,
                _ description: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(error?.code == code, sourceLocation: sourceLocation)
        #expect(error?.file == "test.ini", sourceLocation: sourceLocation)
        #expect(error?.line == line, sourceLocation: sourceLocation)
        #expect(error?.section == section, sourceLocation: sourceLocation)
        #expect(error?.key == key, sourceLocation: sourceLocation)
        #expect(error?.description == description, sourceLocation: sourceLocation)
    }

    @Test("a syntax error names its line")
    func syntax() {
        expect(failure("[heka]\nstream_class = debug\nthis line has no value\n"), .syntax, line: 3, section: "heka",
               key: nil, "test.ini:3: [heka] expected [section], key = value, or an indented continuation")
    }

    @Test("an unknown stream class, encoder, filter and plugin provider")
    func unknownProviders() {
        expect(failure("[heka]\nstream_class = heka.streams.ZmqStream\n"), .unknownProvider, line: 2, section: "heka",
               key: "stream_class", "test.ini:2: [heka] stream_class: unknown stream class \"heka.streams.ZmqStream\"; "
                + "known: stdout (heka.streams.StdOutStream), file (heka.streams.FileStream), udp (heka.streams.UdpStream), "
                + "tcp (heka.streams.TcpStream), debug (heka.streams.DebugCaptureStream)")
        expect(failure("[heka]\nencoder = heka.encoders.NullEncoder\n"), .unknownProvider, line: 2, section: "heka",
               key: "encoder", "test.ini:2: [heka] encoder: unknown encoder \"heka.encoders.NullEncoder\"; known: "
                + "protobuf (heka.encoders.ProtobufEncoder), json (heka.encoders.JSONEncoder)")
        let filter = failure("[heka]\n[heka_filter_x]\nprovider = heka.filters.rate_limit_provider\n")
        #expect(filter?.code == .unknownProvider && filter?.line == 3 && filter?.section == "heka_filter_x"
                && filter?.key == "provider")
        let plugin = failure("[heka]\n\n[heka_plugin_x]\nprovider = myapp.plugins:nothing\n")
        expect(plugin, .unknownProvider, line: 4, section: "heka_plugin_x", key: "provider",
               "test.ini:4: [heka_plugin_x] provider: unknown plugin provider \"myapp.plugins:nothing\"; known: dummy "
                + "(heka.tests.plugin:config_plugin), exception (heka.tests.plugin_exception:config_plugin); register its "
                + "type with PluginRegistry.shared.register(_:)")
    }

    @Test("a required stream key missing: UDP host, UDP port, file path")
    func missingStreamKeys() {
        expect(failure("[heka]\nstream_class = heka.streams.UdpStream\nstream_port = 5565\n"), .missingKey, line: 1,
               section: "heka", key: "stream_host", "test.ini:1: [heka] stream_host: the UDP stream needs stream_host")
        expect(failure("[heka]\nstream_class = heka.streams.UdpStream\nstream_host = localhost\n"), .missingKey, line: 1,
               section: "heka", key: "stream_port", "test.ini:1: [heka] stream_port: the UDP stream needs stream_port")
        expect(failure("[heka]\nstream_class = heka.streams.FileStream\n"), .missingKey, line: 1, section: "heka",
               key: "stream_filepath", "test.ini:1: [heka] stream_filepath: the file stream needs stream_filepath")
        let tcp = failure("[heka]\nstream_class = tcp\nstream_host = localhost\n")
        #expect(tcp?.code == .missingKey && tcp?.key == "stream_port")
    }

    @Test("a port that is not an integer in 1–65535")
    func badPorts() {
        let base = "[heka]\nstream_class = udp\nstream_host = localhost\n"
        expect(failure(base + "stream_port = http\n"), .invalidValue, line: 4, section: "heka", key: "stream_port",
               "test.ini:4: [heka] stream_port: expected an integer, found \"http\"")
        expect(failure(base + "stream_port = 0\n"), .invalidValue, line: 4, section: "heka", key: "stream_port",
               "test.ini:4: [heka] stream_port: 0 is outside 1–65535")
        expect(failure(base + "stream_port = 5565\n    65536\n"), .invalidValue, line: 4, section: "heka",
               key: "stream_port", "test.ini:4: [heka] stream_port: 65536 is outside 1–65535")
        let dictionary = #expect(throws: ConfigurationError.self) {
            try HekaConfiguration(dictionary: ["stream": ["class": "tcp", "host": "localhost", "port": "55x"]])
        }
        #expect(dictionary?.description == "[heka] stream.port: expected an integer, found \"55x\"")
    }

    @Test("a severity outside 0–7 or not a known name, in the client and in a filter")
    func badSeverity() {
        let expectedText = "expected a severity 0–7 or a level name (emergency/emerg, alert, critical/crit, error/err, "
            + "warning/warn, notice, informational/info, debug)"
        expect(failure("[heka]\nseverity = 8\n"), .invalidValue, line: 2, section: "heka", key: "severity",
               "test.ini:2: [heka] severity: \(expectedText), found 8")
        expect(failure("[heka]\n[heka_filter_s]\nprovider = severity_max\nseverity = loud\n"), .invalidValue, line: 4,
               section: "heka_filter_s", key: "severity",
               "test.ini:4: [heka_filter_s] severity: \(expectedText), found \"loud\"")
    }

    @Test("a missing environment variable")
    func missingVariable() {
        expect(failure("[heka]\nstream_class = udp\nstream_host = ${HEKA_HOST}\nstream_port = 5565\n"),
               .missingEnvironmentVariable, line: 3, section: "heka", key: "stream_host",
               "test.ini:3: [heka] stream_host: the environment variable HEKA_HOST is not set")
    }

    @Test("an HMAC hash function other than MD5/SHA1, a key version that is not an unsigned integer")
    func badHMAC() {
        let base = "[heka]\nstream_class = debug\n[heka_hmac]\nsigner = ops\nkey = k\n"
        expect(failure(base + "key_version = 1\nhash_function = SHA256\n"), .invalidValue, line: 7, section: "heka_hmac",
               key: "hash_function",
               "test.ini:7: [heka_hmac] hash_function: \"SHA256\" is not a hash function hekad knows: MD5 or SHA1")
        expect(failure(base + "key_version = -1\n"), .invalidValue, line: 6, section: "heka_hmac", key: "key_version",
               "test.ini:6: [heka_hmac] key_version: -1 is outside 0–4294967295")
        expect(failure(base + "key_version = two\n"), .invalidValue, line: 6, section: "heka_hmac", key: "key_version",
               "test.ini:6: [heka_hmac] key_version: expected an integer, found \"two\"")
        let missing = failure("[heka]\n[heka_hmac]\nsigner = ops\nkey = k\n")
        #expect(missing?.code == .missingKey && missing?.key == "key_version")
        let json = failure("[heka]\nencoder = json\n" + base.dropFirst(28) + "key_version = 1\n")
        #expect(json?.code == .invalidValue && json?.section == "heka_hmac")
    }

    @Test("a plugin name clash: a second plugin under a taken name, or a client method's name")
    func nameClash() {
        let twice = failure(dummyPluginSections("", ""))
        expect(twice, .nameClash, line: 4, section: "heka_plugin_b", key: nil,
               "test.ini:4: [heka_plugin_b] a plugin is already bound as \"dummy\"; set override = true in this "
                + "section to replace it")
        let reserved = failure("[heka]\n[heka_plugin_e]\nprovider = heka.tests.plugin_exception:config_plugin\n")
        #expect(reserved?.code == .nameClash && reserved?.description.contains("\"exception\" is a client method") == true)
    }

    @Test("override = NAME binds under that name; override = true replaces")
    func overrideNames() throws {
        let renamed = try load(dummyPluginSections("", "override = dummy2"))
        #expect(renamed.plugins.map(\.name) == ["dummy", "dummy2"])
        let replaced = try load(dummyPluginSections("foo = first", "override = true\nfoo = second"))
        let client = try HekaClient(configuration: replaced)
        #expect(client.plugins.names == ["dummy"])
        #expect((client.plugin(named: "dummy") as? DummyPlugin)?.settings["foo"] == .string("second"))
    }

    @Test("an unknown key in a plugin section that does not accept it")
    func unknownPluginKey() throws {
        let registry = PluginRegistry()
        registry.register(StrictPlugin.self)
        let error = #expect(throws: ConfigurationError.self) {
            try HekaConfiguration(iniText: "[heka]\n[heka_plugin_s]\nprovider = strict\nlevel = 2\nlevle = 3\n",
                                  path: "test.ini", environment: [:], registry: registry)
        }
        expect(error, .unknownKey, line: 5, section: "heka_plugin_s", key: "levle",
               "test.ini:5: [heka_plugin_s] levle: the strict plugin does not accept this key (it accepts: level)")
        let fine = try HekaConfiguration(iniText: "[heka]\n[heka_plugin_s]\nprovider = strict\nlevel = 2\n",
                                         environment: [:], registry: registry)
        #expect((fine.plugins.first?.plugin as? StrictPlugin)?.level == 2)
    }

    @Test("an unknown client or stream key, and a missing client section")
    func unknownKeys() {
        let client = failure("[heka]\nseverty = 4\n")
        #expect(client?.code == .unknownKey && client?.key == "severty" && client?.line == 2)
        expect(failure("[heka]\nstream_class = udp\nstream_host = h\nstream_port = 1\nstream_hots = x\n"), .unknownKey,
               line: 5, section: "heka", key: "stream_hots",
               "test.ini:5: [heka] stream_hots: the UDP stream does not accept this key (it accepts: class, host, port, "
                + "max_datagram_size)")
        expect(failure("[metlog]\nlogger = x\n"), .missingSection, line: nil, section: "heka", key: nil,
               "test.ini: [heka] no [heka] section (the file has [metlog])")
    }

    @Test("a stream that cannot be opened fails when the client is built, naming the stream")
    func unavailableStream() throws {
        let configuration = try load("[heka]\nstream_class = file\nstream_filepath = /nonexistent-dir/heka.log\n")
        let error = #expect(throws: ConfigurationError.self) { try HekaClient(configuration: configuration) }
        #expect(error?.code == .streamUnavailable)
        #expect(error?.description.contains("/nonexistent-dir/heka.log") == true)
    }

    @Test("a dictionary value that is not configuration names its key")
    func badDictionaryValue() {
        struct Opaque {}
        let error = #expect(throws: ConfigurationError.self) {
            try HekaConfiguration(dictionary: ["logger": Opaque()])
        }
        #expect(error?.code == .invalidValue && error?.key == "logger")
        let pair = #expect(throws: ConfigurationError.self) {
            try HekaConfiguration(dictionary: ["filters": [["heka.filters.severity_max_provider"]]])
        }
        #expect(pair?.description == "[heka] filters[0]: expected a (provider, arguments) pair")
    }
}
