import Foundation
import HekaClient
import HekaRaven
import HekaRelay
import Streams

/// A DSN for the stand-in on `port`.
func standInDSN(port: Int, project: String = "42", secret: String? = nil) -> String {
    "http://pub\(secret.map { ":\($0)" } ?? "")@127.0.0.1:\(port)/\(project)"
}

/// A fresh spool file's path in a folder of its own.
func temporarySpoolPath() throws -> String {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("heka-relay-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder.appendingPathComponent("spool.db").path
}

/// A raven 3.x / heka-py-raven event, packed as heka-py-raven packs it: the legacy
/// `sentry.interfaces.*` keys only, a numeric level.
func legacyRavenEvent(id: String = "9f2c3a1b4d5e6f708192a3b4c5d6e7f8") -> String {
    let json = """
        {"event_id":"\(id)","message":"ZeroDivisionError: integer division or modulo by zero",\
        "culprit":"shop.checkout in total","checksum":"0f343b0931126a20f133d67c2b018a3b","level":40,\
        "timestamp":"2014-03-05T18:20:31","server_name":"web-1","logger":"shop","platform":"python",\
        "tags":{"region":"eu"},"extra":{"order":"1234"},\
        "sentry.interfaces.Exception":{"type":"ZeroDivisionError","value":"integer division or modulo by zero",\
        "module":"exceptions"},\
        "sentry.interfaces.Stacktrace":{"frames":[{"abs_path":"/srv/shop/checkout.py","filename":"shop/checkout.py",\
        "module":"shop.checkout","function":"total","lineno":42,"context_line":"    return a / b",\
        "pre_context":["def total(a, b):"],"post_context":[],"vars":{"a":"1","b":"0"},"in_app":true}]}}
        """
    return SentryPayload.pack(Array(json.utf8))
}

/// A heka-py-raven message carrying `payload`, with `dsn` as its dsn field.
func sentryMessage(payload: String, dsn: String?, type: String = "sentry") -> Message {
    var fields: [Field] = [Field(name: "msg", value: FieldValue("ZeroDivisionError"))]
    if let dsn { fields.append(Field(name: "dsn", value: FieldValue(dsn))) }
    return Message(type: type, logger: "shop", severity: 3, payload: payload, hostname: "web-1", fields: fields)
}

/// An error log message with a few fields.
func errorLogMessage(payload: String = "payment service unreachable", dsn: String? = nil) -> Message {
    var fields: [Field] = [
        Field(name: "order", value: FieldValue(1234)), Field(name: "region", value: FieldValue("eu")),
    ]
    if let dsn { fields.append(Field(name: "dsn", value: FieldValue(dsn))) }
    return Message(timestamp: Int64(Date().timeIntervalSince1970 * 1e9), type: "log", logger: "shop.payments", severity: 3,
                   payload: payload, hostname: "web-2", fields: fields)
}

/// What a relay reported, line by line.
final class ReportLines: @unchecked Sendable {
    // @unchecked: `lines` is guarded by `lock`.
    private let lock = NSLock()
    private var lines: [String] = []

    var all: [String] { lock.withLock { lines } }

    var sink: @Sendable (String) -> Void {
        { [self] line in lock.withLock { lines.append(line) } }
    }
}

/// A relay on a fresh (or given) spool posting through a transport with `compress`, with
/// fast backoff so that retries happen within a test.
func makeRelay(spoolPath: String? = nil, compress: Bool = false, maximumInFlight: Int = 4,
               spoolBytes: Int = 64 << 20, lines: ReportLines = ReportLines()) throws -> (Relay, SentryTransport) {
    var transportSettings = SentryTransport.Settings()
    transportSettings.compress = compress
    transportSettings.timeout = .seconds(5)
    transportSettings.client = "heka-swift/test"
    let transport = SentryTransport(settings: transportSettings)
    var settings = Relay.Settings()
    settings.maximumInFlight = maximumInFlight
    settings.backoff = .milliseconds(20)
    settings.maximumBackoff = .milliseconds(200)
    settings.exitWhenEmpty = true
    let spool = try Spool(path: try spoolPath ?? temporarySpoolPath(), maximumBytes: spoolBytes)
    return (Relay(spool: spool, transport: transport, settings: settings, report: lines.sink), transport)
}

/// Converts `messages` with a converter defaulting to `dsn`; the events.
func events(_ messages: [Message], dsn: String) throws -> [RelayEvent] {
    let converter = EventConverter(logMatcher: try MessageMatcher(EventConverter.defaultMatch),
                                   defaultDSN: try SentryDSN(parsing: dsn))
    return messages.compactMap { message in
        if case .event(let event) = converter.convert(message) { return event }
        return nil
    }
}

/// Runs `relay` until it is done (its input finished and its spool empty, or stopped).
func runToEnd(_ relay: Relay, _ transport: SentryTransport) async {
    relay.inputFinished()
    await startRelay(relay).value
    await transport.shutdown()
}

/// Starts `relay`'s delivery on ``DedicatedExecutor/shared``.
func startRelay(_ relay: Relay) -> Task<Void, Never> {
    Task(executorPreference: DedicatedExecutor.shared) { await relay.run() }
}

/// A task executor with a thread of its own. The relays of the tests deliver on it, so that
/// they do not wait for Swift's cooperative pool (two threads on a 2-core machine), which
/// other suites' tests running beside them may hold while they block.
final class DedicatedExecutor: TaskExecutor, @unchecked Sendable {
    // @unchecked: `jobs` is guarded by `condition`.
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []

    static let shared = DedicatedExecutor()

    private init() {
        let thread = Thread { [self] in
            while true {
                let job = condition.withLock {
                    while jobs.isEmpty { condition.wait() }
                    return jobs.removeFirst()
                }
                job.runSynchronously(on: asUnownedTaskExecutor())
            }
        }
        thread.name = "relay-tests"
        thread.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.withLock {
            jobs.append(job)
            condition.signal()
        }
    }
}

/// Runs a blocking wait on a thread of its own, so that it does not hold one of the few
/// threads of Swift's cooperative pool (two on a 2-core machine), which the relay's tasks
/// and timers need meanwhile, with other suites' tests running beside this one.
func offPool<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: body()) }.start()
    }
}
