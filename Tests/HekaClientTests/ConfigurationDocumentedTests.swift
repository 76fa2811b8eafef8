import Testing

@testable import HekaClient

/// heka-py's documentation (docs/source/config.rst): its examples load as documented.
@Suite struct ConfigurationDocumentedTests {
    @Test("the documented [heka] section and filters, and the equivalent dictionary, load alike")
    func documentedExample() throws {
        let filters = hekaPyFilterSections(severity: 4, types: ["timer", "oldstyle"])
        let ini = try load(hekaPyGettingStarted + "\n" + filters)
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
}
