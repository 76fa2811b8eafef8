import Foundation
import LoopbackSupport
import Testing

@testable import HekaClient

/// This project's names and additions: short names, typed text, defaults, real streams.
@Suite struct ConfigurationAdditionsTests {
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
}
