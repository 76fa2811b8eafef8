import Testing

@testable import HekaClient

/// Older heka-py (and metlog) configured senders, not streams: `sender_class` with heka-py's
/// `heka.senders` names and `sender_*` keys. They load as the streams they became.
@Suite struct LegacySpellingsTests {
    @Test("sender_class with heka-py's sender names and sender_* keys loads the matching stream", arguments: [
        ("sender_class = heka.senders.StdOutSender", StreamConfiguration.standardOutput),
        ("sender_class = heka.senders.dev.StdOutSender", .standardOutput),
        ("sender_class = heka.senders.StdOutStream", .standardOutput),
        ("sender_class = heka.senders.UdpSender\nsender_host = 127.0.0.1\nsender_port = 5565",
         .udp(host: "127.0.0.1", port: 5565)),
        ("sender_class = heka.senders.udp.UdpSender\nsender_host = localhost\nsender_port = 5566\n"
            + "sender_max_datagram_size = 1400",
         .udp(host: "localhost", port: 5566, maxDatagramSize: 1400)),
        ("sender_class = heka.senders.DebugCaptureSender", .debugCapture()),
        ("sender_class = heka.senders.dev.DebugCaptureSender\nsender_capacity = 7", .debugCapture(capacity: 7)),
        ("sender_class = heka.senders.FileSender\nsender_filepath = /tmp/heka.log", .file(path: "/tmp/heka.log")),
    ])
    func senderSpellings(lines: String, stream: StreamConfiguration) throws {
        let configuration = try load("[heka]\nlogger = app\n\(lines)\n")
        #expect(configuration.stream == stream)
        #expect(configuration.logger == "app")
    }

    @Test("heka-py's DebugCaptureSender configuration (its test_simple_config) gives a client writing to memory")
    func debugCaptureSenderClient() throws {
        let configuration = try load("""
            [heka_config]
            sender_class = heka.senders.DebugCaptureSender
            """, section: "heka_config")
        let client = try HekaClient(configuration: configuration, errorHandler: .ignore)
        client.info("hello")
        #expect(try captured(client).lastMessage?.payload == "hello")
    }

    @Test("the dictionary form takes sender_class and sender_* keys too")
    func dictionary() throws {
        let configuration = try HekaConfiguration(dictionary: [
            "sender_class": "heka.senders.UdpSender", "sender_host": "127.0.0.1", "sender_port": 5565,
        ])
        #expect(configuration.stream == .udp(host: "127.0.0.1", port: 5565))
    }

    @Test("a sender_* key's error names it as written")
    func senderKeyErrors() {
        let error = #expect(throws: ConfigurationError.self) {
            try load("[heka]\nsender_class = heka.senders.UdpSender\nsender_host = localhost\nsender_port = many\n")
        }
        #expect(error?.key == "sender_port" && error?.line == 4)
        let missing = #expect(throws: ConfigurationError.self) {
            try load("[heka]\nsender_class = heka.senders.UdpSender\nsender_port = 5565\n")
        }
        #expect(missing?.key == "sender_host")
    }

    @Test("sender_* and stream_* keys at once are an error naming one key of each", arguments: [
        ("sender_class = stdout\nstream_class = stdout", "sender_class", "stream_class"),
        ("stream_class = udp\nstream_host = localhost\nsender_port = 5565", "sender_port", "stream_class"),
    ])
    func bothSpellings(lines: String, legacy: String, current: String) {
        let error = #expect(throws: ConfigurationError.self) { try load("[heka]\n\(lines)\n") }
        #expect(error?.code == .unknownKey && error?.key == legacy)
        #expect(error?.description.contains("\(legacy) and \(current) both configure the stream") == true)
        let table = #expect(throws: ConfigurationError.self) {
            try HekaConfiguration(dictionary: ["stream": ["class": "stdout"], "sender_class": "stdout"])
        }
        #expect(table?.key == "sender_class")
    }
}
