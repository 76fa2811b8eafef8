import Testing

@testable import HekaClient

/// heka-py's own tests (heka/tests/test_config.py), their configurations loaded as they are.
@Suite struct ConfigurationTests {
    @Test("test_simple_config: a DebugCaptureStream by its Python name")
    func simpleConfig() throws {
        let configuration = try loadCapturing(section: "heka_config")
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
        let configuration = try loadCapturing(hekaPyFilterSections(severity: 6, types: ["foo", "bar", "baz"]))
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
        let configuration = try loadCapturing("""
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
        let overridden = try loadCapturing("""
            [heka_plugin_exception]
            override=True
            provider=heka.tests.plugin:config_plugin
            """)
        #expect(try HekaClient(configuration: overridden).plugins.names == ["dummy"])

        let error = #expect(throws: ConfigurationError.self) {
            try loadCapturing("[heka_plugin_exception]\nprovider=heka.tests.plugin_exception:config_plugin\n")
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
        let configuration = try loadCapturing("""
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
}
