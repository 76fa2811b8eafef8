import Crypto
import HekaClient

/// A Sentry event in both of the forms that readers of heka-py-raven's payloads know: the
/// raven 3.x keys (`sentry.interfaces.Exception`, `sentry.interfaces.Stacktrace`,
/// `checksum`, …) that old Sentry servers and hekad's SentryOutput consumers read, and the
/// `exception.values[]` form of today's Sentry.
struct SentryEvent: Sendable {
    /// 32 lowercase hex digits.
    var eventID: String
    /// What the caller said (`client.raven("…")`), kept in `extra.msg`.
    var text: String
    /// The error's type name, module and description; without an error the text stands in.
    var errorType: String?
    var errorModule: String?
    var errorValue: String?
    /// Sentry's level: 10 debug, 20 info, 30 warning, 40 error, 50 fatal.
    var level: Int
    /// `YYYY-MM-DDTHH:MM:SSZ`.
    var timestamp: String
    var serverName: String
    var logger: String
    /// Oldest first.
    var frames: [StackFrame]
    /// Frames left out of the middle: how many, after which index.
    var omitted: (after: Int, count: Int)?
    var extra: [(key: String, value: EventValue)]
    var tags: [(key: String, value: String)]
    /// What was cut to fit the size budget, said in `extra.heka_trimmed`.
    var trimmed: [String] = []
    /// The stack ``frames`` came from, with what is made once per stack (their JSON, their
    /// part of the checksum); `nil` once trimming has changed the frames.
    var stack: CapturedStack?
    /// What a crash report adds (its signal, other threads and images); `nil` for a capture.
    var crash: CrashDetails?

    /// Sentry's level for a syslog severity.
    static func level(for severity: Severity) -> Int {
        switch severity.rawValue {
        case ...2: 50
        case 3: 40
        case 4: 30
        case 5, 6: 20
        default: 10
        }
    }

    /// `Type: value` for an error, the text otherwise.
    var message: String {
        guard let errorType else { return text }
        return "\(errorType): \(errorValue ?? "")"
    }

    /// The innermost in-app frame (else the innermost), as `module in function`.
    var culprit: String? { stack?.culprit ?? Self.culprit(frames) }

    static func culprit(_ frames: [StackFrame]) -> String? {
        guard let frame = frames.last(where: \.inApp) ?? frames.last else { return nil }
        return frame.module.map { "\($0) in \(frame.function)" } ?? frame.function
    }

    /// The frames' modules, sorted, each once (event `modules`).
    var modules: [String] { stack?.modules ?? Self.modules(frames) }

    static func modules(_ frames: [StackFrame]) -> [String] { Set(frames.compactMap(\.module)).sorted() }

    /// raven's grouping checksum: MD5 of the error type, then each frame's module and
    /// context line (or function). The frames' part is the stack's, made once, until
    /// trimming changes the frames.
    var checksum: String {
        var hash = Insecure.MD5()
        hash.update(data: Array((errorType ?? "Message").utf8))
        hash.update(data: stack?.checksumInput ?? Self.checksumInput(frames))
        return hexString(hash.finalize())
    }

    /// What the frames add to the checksum's input.
    static func checksumInput(_ frames: [StackFrame]) -> [UInt8] {
        var input: [UInt8] = []
        for frame in frames {
            input += (frame.module ?? "").utf8
            input += (frame.contextLine ?? frame.function).utf8
        }
        return input
    }
}
