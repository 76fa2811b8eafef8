import Testing

@testable import HekaClient

/// The INI text a configuration prints (``HekaConfiguration/iniText()``) loads back to it.
@Suite struct ConfigurationPrintoutTests {
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
        #expect(configuration.description == "[heka] logger=shop severity=error stream=tcp host=127.0.0.1 "
            + "port=5565 queue_capacity=10000 encoder=automatic disabled_timers=slow filters=severity_max "
            + "plugins=dummy hmac=ops:3:MD5")
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
        let configuration = try load(dummyPluginSections("port = 1", "override = true\nport = 2"))
        let text = configuration.iniText()
        #expect(text.contains("[heka_plugin_dummy]") && text.contains("[heka_plugin_dummy_2]"))
        let reloaded = try load(text)
        #expect(reloaded.iniText() == text)
        #expect(reloaded.plugins.map(\.override) == [false, true])
    }
}
