// swift-log's StreamLogHandler needs a text stream; the one here writes to /dev/null through
// C stdio, as swift-log's own standard output does, so it calls libc itself (as the floors
// in Workload.swift do): it is the reference, not the package's code.
#if canImport(Glibc)
import Glibc
#endif
import HekaClient
import HekaLogging
import Logging
import Streams

/// The swift-log handler: a logger call into memory, and a disabled one, each beside
/// swift-log's own `StreamLogHandler` measured in the same run (the disabled one also
/// beside swift-log's handler that does nothing).
enum LoggingScenarios {
    static func run(_ timing: Timing) throws -> [ScenarioResult] {
        let client = HekaClient(stream: DebugCaptureStream(), logger: "shop")
        var heka = Logger(label: "shop.basket") { label in
            HekaLogHandler(label: label, client: client, metadataProvider: nil)
        }
        let devNull = try DevNullOutput()
        var reference = Logger(label: "shop.basket") { label in
            StreamLogHandler(label: label, stream: devNull, metadataProvider: nil)
        }
        // swift-log's handler that does nothing: its level is fixed at critical.
        let noOp = Logger(label: "shop.basket") { _ in SwiftLogNoOpLogHandler() }
        heka.logLevel = .info
        reference.logLevel = .info
        let samples = timing.interleaved([
            { count in for _ in 0..<count { info(heka) } },
            { count in for _ in 0..<count { info(reference) } },
            { count in for index in 0..<count { debug(heka, index) } },
            { count in for index in 0..<count { debug(reference, index) } },
            { count in for index in 0..<count { debug(noOp, index) } },
        ])
        let (enabled, enabledReference, disabled, disabledReference, disabledNoOp) = (
            samples[0].median, samples[1].median, samples[2].median, samples[3].median, samples[4].median
        )
        let sent = client.statistics
        return [
            ScenarioResult(
                id: "L1", name: "logger.info, 3 metadata values, HekaLogHandler into DebugCaptureStream",
                medianNanoseconds: enabled, reference: "StreamLogHandler", ratio: enabledReference / enabled,
                target: "≤ 1 µs", met: enabled <= 1_000,
                note: "\(sent.messagesSent) sent, \(sent.messagesFailed) failed; fields: the 3 values, file, line; "
                    + "the reference formats the same call as text (with its timestamp) and writes it to /dev/null "
                    + "with fwrite and fflush, as its standard output does"),
            ScenarioResult(
                id: "L1-ref", name: "logger.info, 3 metadata values, StreamLogHandler to /dev/null",
                medianNanoseconds: enabledReference),
            ScenarioResult(
                id: "L2", name: "logger.debug disabled (level info), HekaLogHandler", medianNanoseconds: disabled,
                reference: "StreamLogHandler", ratio: disabledReference / disabled, target: "≤ 10 ns", met: disabled <= 10,
                note: "the message interpolates the loop index: a disabled call must not build it; "
                    + "swift-log's empty no-op handler (L2-noop) shows what reading Logger.logLevel costs; a handler "
                    + "with state (this one, StreamLogHandler) adds the retain and release of the copy swift-log makes of it"),
            ScenarioResult(
                id: "L2-ref", name: "logger.debug disabled (level info), StreamLogHandler",
                medianNanoseconds: disabledReference),
            ScenarioResult(
                id: "L2-noop", name: "logger.debug disabled, SwiftLogNoOpLogHandler", medianNanoseconds: disabledNoOp),
        ]
    }

    /// The call as a program writes it: the metadata literal is part of the cost.
    @inline(never)
    static func info(_ logger: Logger) {
        logger.info("basket saved", metadata: ["user": "ann", "items": "3", "route": "/cart"])
    }

    /// A disabled call whose message would cost something to build.
    @inline(never)
    static func debug(_ logger: Logger, _ index: Int) {
        logger.debug("basket \(index) checked", metadata: ["index": "\(index)"])
    }
}

/// `/dev/null` opened with `fopen`, written as swift-log's standard output writes: `fwrite`
/// of the line under the file's lock, then `fflush`.
final class DevNullOutput: TextOutputStream, @unchecked Sendable {
    // @unchecked: `file` is set once; stdio locks the FILE for each call (fwrite, fflush).
    private let file: UnsafeMutablePointer<FILE>

    init() throws {
        guard let file = fopen("/dev/null", "w") else {
            throw BenchError("fopen /dev/null: \(String(cString: strerror(errno)))")
        }
        self.file = file
    }

    deinit { fclose(file) }

    func write(_ string: String) {
        var line = string
        line.withUTF8 { bytes in _ = fwrite(bytes.baseAddress, 1, bytes.count, file) }
        fflush(file)
    }
}
