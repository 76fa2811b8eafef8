import Foundation
import HekaClient
import LoopbackSupport
import Testing

/// Runs the built `heka` binary, as a user would.
struct CommandResult {
    let status: Int32
    let stdout: [UInt8]
    let stderr: String
}

/// The repository's root, where heka.ini.example is.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// The built `heka` binary: the test bundle and the executables share the build directory.
let hekaBinary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("heka")

/// Runs `heka` with `arguments` in `directory` (default: the repository's root), with
/// `input` on its standard input and `environment` over the test's own.
func runHeka(_ arguments: [String], in directory: URL = packageRoot, input: [UInt8] = [],
             environment: [String: String] = [:]) throws -> CommandResult {
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("heka-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    let out = scratch.appendingPathComponent("stdout"), err = scratch.appendingPathComponent("stderr")
    _ = FileManager.default.createFile(atPath: out.path, contents: nil)
    _ = FileManager.default.createFile(atPath: err.path, contents: nil)
    let stdin = scratch.appendingPathComponent("stdin")
    _ = FileManager.default.createFile(atPath: stdin.path, contents: Data(input))
    let process = Process()
    process.executableURL = hekaBinary
    process.standardInput = try FileHandle(forReadingFrom: stdin)
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    process.currentDirectoryURL = directory
    process.standardOutput = try FileHandle(forWritingTo: out)
    process.standardError = try FileHandle(forWritingTo: err)
    try process.run()
    process.waitUntilExit()
    return CommandResult(status: process.terminationStatus, stdout: Array(try Data(contentsOf: out)),
                         stderr: String(decoding: try Data(contentsOf: err), as: UTF8.self))
}

/// Writes `text` to a new file and returns its path.
func temporaryFile(_ text: String, extension fileExtension: String = "ini") throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("heka-\(UUID().uuidString).\(fileExtension)").path
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

@Suite struct CommandTests {
    @Test("heka demo prints one JSON line per message, each decoding to a message")
    func demo() throws {
        let result = try runHeka(["demo"])
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        let messages = try JSONLinesDecoder.decodeAll(result.stdout).map { try $0.get() }
        #expect(messages.map(\.type) == [
            "demo.request", "oldstyle", "oldstyle", "oldstyle", "oldstyle", "oldstyle", "oldstyle",
            "counter", "timer", "timer", "gauge", "gauge", "stacktrace",
        ])
        #expect(messages.allSatisfy { $0.logger == "heka-demo" && $0.envVersion == "0.8" })
        #expect(messages[0].field("route.name") == "basket" && messages[0].field("cached") == true)
        #expect(messages.map(\.severity.rawValue)[1...6] == [7, 6, 4, 3, 2, 1])
        #expect(Set(messages.map(\.uuid)).count == messages.count)
    }

    @Test("heka demo --swift-log: swift-log, swift-metrics and a lifecycle shutdown, everything delivered")
    func demoSwiftLog() throws {
        let result = try runHeka(["demo", "--swift-log"])
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty, "\(result.stderr)")
        let messages = try JSONLinesDecoder.decodeAll(result.stdout).map { try $0.get() }
        let logged = messages.filter { $0.type == "oldstyle" }
        #expect(logged.map(\.payload) == ["cache warmed", "basket served", "disk /var is 91% full", "payment failed"])
        #expect(logged.map(\.severity.rawValue) == [7, 6, 4, 3])
        #expect(logged.allSatisfy { $0.logger == "shop.checkout" && $0.field("request_id") == "r-1234" })
        #expect(logged[1].field("route.name") == "basket" && logged[1].field("tier") == "gold")
        #expect(logged[3].field("error.type") == "heka.DemoError")
        // Three increments, summed into one counter message by the shutdown's flush.
        let counter = try #require(messages.first { $0.type == "counter" })
        #expect(counter.payload == "3" && counter.field("route") == "basket" && counter.field("name") == "demo.requests")
        #expect(messages.contains { $0.type == "timer" && $0.payload == "42" })
        #expect(messages.contains { $0.type == "gauge" && $0.payload == "17" })
        let stack = try #require(messages.first { $0.type == "stacktrace" })
        #expect(stack.severity == .error && stack.field("msg") == "payment failed")
        #expect(messages.count == 8)
    }

    @Test("heka --help lists the subcommands; a wrong subcommand fails with a usage error")
    func help() throws {
        let help = try runHeka(["--help"])
        #expect(help.status == 0)
        #expect(String(decoding: help.stdout, as: UTF8.self).contains("demo"))
        let wrong = try runHeka(["no-such-command"])
        #expect(wrong.status == 64)
        #expect(wrong.stderr.contains("Unexpected argument"))
    }

    @Test("heka demo outside the repository, without heka.ini.example, still prints JSON lines")
    func demoWithoutExample() throws {
        let result = try runHeka(["demo", "--logger", "elsewhere"], in: FileManager.default.temporaryDirectory)
        #expect(result.status == 0)
        let messages = try JSONLinesDecoder.decodeAll(result.stdout).map { try $0.get() }
        #expect(messages.count == 13 && messages.allSatisfy { $0.logger == "elsewhere" })
    }

    @Test("heka demo --config sends through the configured stream: framed protobuf over UDP")
    func demoOverUDP() throws {
        let receiver = try LoopbackUDPReceiver()
        let path = try temporaryFile("""
            [shop]
            logger = shop
            stream_class = heka.streams.UdpStream
            stream_host = 127.0.0.1
            stream_port = \(receiver.port)
            [shop_filter_errors]
            provider = heka.filters.severity_max_provider
            severity = 3
            """)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try runHeka(["demo", "--config", path, "--section", "shop"])
        #expect(result.status == 0 && result.stdout.isEmpty)
        var messages: [Message] = []
        while let datagram = receiver.receive(timeout: .milliseconds(500)) {
            for case .record(let record) in RecordDecoder.decodeAll(datagram) { messages.append(record.message) }
        }
        // Only severities 0-3 pass the filter: error, critical, the exception, the stack trace.
        #expect(messages.map(\.severity.rawValue) == [3, 2, 1, 3])
        #expect(messages.allSatisfy { $0.logger == "shop" })
    }

    @Test("heka config prints the effective configuration with secrets masked")
    func config() throws {
        let path = try temporaryFile("""
            [heka]
            stream_class = heka.streams.DebugCaptureStream
            [heka_plugin_raven]
            provider = heka_raven.raven_plugin:config_plugin
            dsn = https://public:hush@sentry.example.com/3
            [heka_hmac]
            signer = ops
            key_version = 2
            key = sesame
            """)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try runHeka(["config", "--config", path])
        #expect(result.status == 0)
        let text = String(decoding: result.stdout, as: UTF8.self)
        #expect(text == """
            [heka]
            severity = 6
            stream_class = debug
            stream_capacity = 100

            [heka_plugin_raven]
            provider = heka_raven.raven_plugin:config_plugin
            dsn = https://public:********@sentry.example.com/3

            [heka_hmac]
            signer = ops
            key_version = 2
            hash_function = MD5
            key = ********

            """)
        let example = try runHeka(["config"])
        #expect(example.status == 0)
        #expect(String(decoding: example.stdout, as: UTF8.self).contains("[heka_plugin_raven]"))
    }

    @Test("a bad configuration fails the command with the error's file, line, section and key")
    func badConfig() throws {
        let path = try temporaryFile("[heka]\nstream_class = udp\nstream_host = localhost\nstream_port = 0\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        for command in ["demo", "config"] {
            let result = try runHeka([command, "--config", path])
            #expect(result.status == 1)
            #expect(result.stdout.isEmpty)
            #expect(result.stderr == "Error: \(path):4: [heka] stream_port: 0 is outside 1–65535\n")
        }
    }
}
