import ArgumentParser
import Foundation
import HekaClient
import HekaRaven

/// `heka demo`: one message of each kind, through the configured client (by default JSON
/// lines on standard output).
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Send one message of each kind through a configured client (JSON lines on stdout by default).",
        discussion: """
            Shows what the library emits: a plain message with typed fields, log lines at each \
            level, an error, a counter, timers, gauges and a captured stack trace. With the \
            shipped heka.ini.example (used when it is in the current directory) each line on \
            standard output is one \
            message; pipe it to `jq` or read it as it is. Point --config at your own file to \
            send the same messages to hekad.

            With --swift-log the same kinds of message come the way a Swift server sends \
            them: swift-log's Logger, swift-metrics' Counter, Timer and Gauge (counters summed \
            in the process), an error logged with its stack, and a shutdown through \
            swift-service-lifecycle that delivers everything before the client closes.

            Examples:
              heka demo
              heka demo --swift-log
              heka demo --logger shop | jq -c '{type, severity, payload}'
              heka demo --config /etc/heka.ini --section heka

            Exits with status 1 when a message could not be sent (standard output could not \
            be written, say).
            """
    )

    @OptionGroup var source: ConfigurationOptions

    @Option(help: "The logger name the messages carry (default: the configuration's, else heka-demo).")
    var logger: String?

    @Flag(help: "Send through swift-log, swift-metrics and swift-service-lifecycle, as a server would.")
    var swiftLog = false

    func run() throws {
        var configuration = try source.load(default: HekaConfiguration(logger: "heka-demo"))
        if let logger { configuration.logger = logger }
        if configuration.logger.isEmpty { configuration.logger = "heka-demo" }
        let failures = FailureLog(command: "demo")
        let client = try HekaClient(configuration: configuration, errorHandler: ErrorHandler { error in
            // A reader that has gone (`heka demo | head`) ends the demo quietly.
            failures.record("\(error)", silently: isBrokenPipeFailure(error))
        })
        if swiftLog {
            try DemoSwiftServer.run(client: client)
        } else {
            Self.sendAll(through: client)
            client.close(timeout: .commandClose)
        }
        // The exit status says whether every message was written.
        let statistics = client.statistics
        if failures.count > 0 || statistics.messagesFailed > 0 || statistics.stream.recordsFailed > 0 {
            throw ExitCode(1)
        }
    }

    /// One message of each kind the client API builds.
    static func sendAll(through client: HekaClient) {
        client.heka(
            type: "demo.request", payload: "GET /basket served from cache",
            fields: [
                "status": 200, "bytes": 5120, "elapsed_ms": 12.5, "cached": true,
                "route": ["name": "basket", "method": "GET"], "tags": ["web", "demo"],
            ])
        client.debug("cache warmed: 412 keys")
        client.info("user 1234 signed in")
        client.warn("disk /var is 91% full")
        client.error("payment gateway answered 502")
        client.critical("database replica lost")
        client.exception(DemoError.timeout(seconds: 30), message: "checkout failed")
        client.incr("demo.requests", count: 3)
        client.timer("demo.render") { (0..<10_000).reduce(0, &+) }
        client.timerSend("demo.db_query", elapsed: 42)
        client.gauge("demo.queue_depth", 17)
        client.gauge("demo.load_average", 0.42)
        sendStackTrace(through: client)
    }

    /// A stack trace captured two calls deep, as the raven plugin sends it.
    @inline(never)
    static func sendStackTrace(through client: HekaClient) {
        do {
            try chargeCard(amount: 42)
        } catch {
            client.raven("demo: payment failed", error: error, extra: ["order": 1234, "attempt": 2])
        }
    }

    @inline(never)
    static func chargeCard(amount: Int) throws(DemoError) {
        throw .timeout(seconds: amount > 0 ? 30 : 0)
    }
}

/// The error the demo reports.
enum DemoError: Error, CustomStringConvertible {
    case timeout(seconds: Int)

    var description: String {
        switch self {
        case .timeout(let seconds): "upstream did not answer within \(seconds) s"
        }
    }
}
