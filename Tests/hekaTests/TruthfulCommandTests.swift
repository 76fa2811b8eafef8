import Foundation
import HekaClient
import LoopbackSupport
import Testing

/// A UDP port on the loopback address on which nothing listens: bound to learn a free
/// port, then closed.
func closedUDPPort() throws -> Int {
    try LoopbackUDPReceiver().port
}

@Suite struct TruthfulCommandTests {
    @Test("send and raven-test to a UDP port nobody listens on fail, saying so")
    func nobodyListening() throws {
        let port = try closedUDPPort()
        let send = try runHeka(["send", "--udp", "127.0.0.1:\(port)", "hello"])
        #expect(send.status == 1)
        #expect(send.stderr == "heka send: udp://127.0.0.1:\(port) did not receive the message: "
            + "it answered \"Connection refused\" (nothing listens on that port)\n")

        let lines = try runHeka(["send", "--lines", "--udp", "127.0.0.1:\(port)", "-"], input: Array("a\nb\nc\n".utf8))
        #expect(lines.status == 1)
        #expect(lines.stderr == "heka send: udp://127.0.0.1:\(port) did not receive the messages: "
            + "it answered \"Connection refused\" (nothing listens on that port)\n")

        let raven = try runHeka(["raven-test", "--udp", "127.0.0.1:\(port)", "https://public@sentry.example.com/2"])
        #expect(raven.status == 1)
        #expect(raven.stderr == "heka raven-test: udp://127.0.0.1:\(port) did not receive the test event: "
            + "it answered \"Connection refused\" (nothing listens on that port)\n")
        #expect(!String(decoding: raven.stdout, as: UTF8.self).contains("Event ID"))
    }

    @Test("send to a UDP listener succeeds at once; the listener gets the message and an empty datagram")
    func someoneListening() throws {
        let receiver = try LoopbackUDPReceiver()
        let clock = ContinuousClock()
        let start = clock.now
        let result = try runHeka(["send", "--udp", "127.0.0.1:\(receiver.port)", "hello"])
        #expect(start.duration(to: clock.now) < .seconds(2))
        #expect(result.status == 0 && result.stderr.isEmpty, "\(result.stderr)")
        let datagram = try #require(receiver.receive())
        guard case .record(let record)? = RecordDecoder.decodeAll(datagram).first else {
            Issue.record("no record arrived")
            return
        }
        #expect(record.message.payload == "hello")
        #expect(receiver.receive() == [])
        #expect(receiver.receive(timeout: .milliseconds(200)) == nil)
    }

    @Test("send without a payload is a usage error; an empty payload is a payload")
    func payloadRequired() throws {
        let missing = try runHeka(["send", "--udp", "127.0.0.1:5565"])
        #expect(missing.status == 64)
        #expect(missing.stderr.hasPrefix(
            "Error: give the payload, or - to read it from standard input (\"\" sends an empty one)\nUsage: heka send "))
        let receiver = try LoopbackUDPReceiver()
        let empty = try runHeka(["send", "--udp", "127.0.0.1:\(receiver.port)", ""])
        #expect(empty.status == 0, "\(empty.stderr)")
    }

    @Test("a HOST:PORT that cannot be read says why", arguments: [
        ("send --udp 127.0.0.1:99999 hi", "The value '127.0.0.1:99999' is invalid for '--udp <host:port>': the port 99999 is outside 1–65535"),
        ("send --tcp 127.0.0.1:65536 hi", "The value '127.0.0.1:65536' is invalid for '--tcp <host:port>': the port 65536 is outside 1–65535"),
        ("flood --udp 99999", "The value '99999' is invalid for '--udp <host:port>': the port 99999 is outside 1–65535"),
        ("cat --udp 127.0.0.1:70000", "The value '127.0.0.1:70000' is invalid for '--udp <host:port>': the port 70000 is outside 0–65535"),
        ("send --udp 127.0.0.1 hi", "The value '127.0.0.1' is invalid for '--udp <host:port>': no port is given; expected HOST:PORT, as in 127.0.0.1:5565, [::1]:5565 or localhost:5565"),
        ("send --udp 127.0.0.1: hi", "The value '127.0.0.1:' is invalid for '--udp <host:port>': the port is empty; expected HOST:PORT, as in 127.0.0.1:5565, [::1]:5565 or localhost:5565"),
        ("send --udp :5565 hi", "The value ':5565' is invalid for '--udp <host:port>': the host is empty; expected HOST:PORT, as in 127.0.0.1:5565, [::1]:5565 or localhost:5565"),
        ("send --tcp host:http hi", "The value 'host:http' is invalid for '--tcp <host:port>': the port \"http\" is not a number in 1–65535"),
        ("send --udp ::1:5565 hi", "The value '::1:5565' is invalid for '--udp <host:port>': an IPv6 address is written in brackets before the port, as in [::1]:5565"),
        ("send --udp [::1] hi", "The value '[::1]' is invalid for '--udp <host:port>': an IPv6 address in brackets is followed by :PORT, as in [::1]:5565"),
    ])
    func endpoints(_ arguments: String, _ message: String) throws {
        let result = try runHeka(arguments.split(separator: " ").map(String.init))
        #expect(result.status == 64)
        #expect(result.stderr.hasPrefix("Error: \(message)\n"), "\(result.stderr)")
    }
}

@Suite struct KnownNamesTests {
    @Test("an unknown plugin provider lists the registered plugins; a DSN without a scheme names the schemes")
    func configurationErrors() throws {
        let path = try temporaryFile("[heka]\n[heka_plugin_x]\nprovider = nowhere:config_plugin\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let plugin = try runHeka(["config", "--config", path])
        #expect(plugin.status == 1)
        #expect(plugin.stderr == "Error: \(path):3: [heka_plugin_x] provider: unknown plugin provider "
            + "\"nowhere:config_plugin\"; known: raven (heka_raven.raven_plugin:config_plugin); register its type "
            + "with PluginRegistry.shared.register(_:)\n")
        let dsn = try runHeka(["raven-test", "sentry.example.com/2"])
        #expect(dsn.status == 64)
        #expect(dsn.stderr.hasPrefix("Error: the DSN is not valid: a DSN starts with https://, http:// or udp://\n"))
    }
}
