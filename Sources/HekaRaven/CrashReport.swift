import Foundation

/// A crash report as Swift's runtime backtracer (`swift-backtrace`) writes it with
/// `SWIFT_BACKTRACE=…,format=json,output-to=DIR`: `DIR/NAME-PID-0.0.json`, one per crash.
///
/// Only what an event needs is read; the rest (registers, captured memory) is left out.
/// Frames run innermost first, as the backtracer writes them, and the crashed thread's
/// first frames are the runtime's own (`_assertionFailure`, a bounds check).
struct CrashReport: Decodable, Sendable {
    /// `crashReport` (the only kind the backtracer writes for a crash).
    var kind: String
    /// When it crashed, `2026-11-27T10:27:26.636697Z`.
    var timestamp: String
    /// What happened, as the backtracer names the signal: `Illegal instruction` (a Swift
    /// trap), `Bad pointer dereference`, `Aborted`, …
    var description: String
    var faultAddress: String?
    var platform: String?
    var architecture: String?
    var threads: [Thread]
    var images: [Image]?
    /// Seconds the backtracer took.
    var backtraceTime: Double?

    struct Thread: Decodable, Sendable {
        var name: String?
        var crashed: Bool?
        var frames: [Frame]
    }

    struct Frame: Decodable, Sendable {
        /// `programCounter`, `returnAddress`, `asyncResumePoint`, or `truncated` and
        /// `omittedFrames` (which stand for frames left out, and have no address).
        var kind: String
        var address: String?
        /// The mangled name.
        var symbol: String?
        /// The demangled name, with ` + offset`.
        var description: String?
        var image: String?
        /// Set on the C library's and the runtime's own frames (`_start`, a runtime failure).
        var system: Bool?
        /// Set on the frame the compiler places where a check of the program's own code
        /// trapped: `Swift runtime failure: arithmetic overflow`.
        var runtimeFailure: Bool?
        var count: Int?
        var sourceLocation: SourceLocation?
    }

    struct SourceLocation: Decodable, Sendable {
        var file: String
        var line: Int
        var column: Int?
    }

    struct Image: Decodable, Sendable {
        var name: String?
        var buildId: String?
        var path: String?
        var baseAddress: String?
        var endOfText: String?
    }

    /// What is wrong with a file that is not a crash report.
    struct Unreadable: Error, Sendable, CustomStringConvertible {
        var description: String
    }

    /// The report in `bytes`.
    /// - Throws: ``Unreadable`` when they are not a complete report (a file still being
    ///   written, cut short, or something else).
    init(parsing bytes: [UInt8]) throws(Unreadable) {
        do {
            self = try JSONDecoder().decode(CrashReport.self, from: Data(bytes))
        } catch let error as DecodingError {
            throw Unreadable(description: Self.explain(error))
        } catch {
            throw Unreadable(description: "\(error)")
        }
        guard kind == "crashReport" else { throw Unreadable(description: "its kind is \"\(kind)\", not crashReport") }
        guard crashedThread != nil else { throw Unreadable(description: "no thread is marked as crashed") }
    }

    /// The thread that crashed.
    var crashedThread: Thread? { threads.first { $0.crashed == true } }

    /// The signal, from the backtracer's description of it. A check that trapped in the
    /// program's own code is described by the failure instead (`Swift runtime failure:
    /// arithmetic overflow`): its signal is the architecture's trap, SIGILL (`ud2`) on
    /// x86_64 and SIGTRAP (`brk`) on arm64.
    var signal: CrashSignal {
        guard runtimeFailure != nil, description.hasPrefix("Swift runtime failure") else {
            return CrashSignal(description: description)
        }
        return CrashSignal(description: architecture == "x86_64" ? "Illegal instruction" : "System trap")
    }

    /// The crash's time in nanoseconds since the epoch; `nil` when the timestamp cannot be read.
    var nanoseconds: Int64? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        guard let date = formatter.date(from: timestamp) else { return nil }
        return Int64((date.timeIntervalSince1970 * 1e9).rounded())
    }

    private static func explain(_ error: DecodingError) -> String {
        switch error {
        case .dataCorrupted(let context): "not JSON (\(context.underlyingError.map { "\($0)" } ?? context.debugDescription))"
        case .keyNotFound(let key, let context): "no \(path(context.codingPath + [key]))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            "\(path(context.codingPath)) is not what a crash report has there"
        @unknown default: "\(error)"
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().drop { $0 == "." }.description
    }
}

/// The signal a crash report describes, with Linux's number and name.
struct CrashSignal: Sendable, Hashable {
    var number: Int
    var name: String

    /// The backtracer's descriptions of the signals it catches.
    private static let known: [String: CrashSignal] = [
        "Terminated": CrashSignal(number: 3, name: "SIGQUIT"),
        "Illegal instruction": CrashSignal(number: 4, name: "SIGILL"),
        "System trap": CrashSignal(number: 5, name: "SIGTRAP"),
        "Aborted": CrashSignal(number: 6, name: "SIGABRT"),
        "Bus error": CrashSignal(number: 7, name: "SIGBUS"),
        "Arithmetic error": CrashSignal(number: 8, name: "SIGFPE"),
        "Bad pointer dereference": CrashSignal(number: 11, name: "SIGSEGV"),
    ]

    init(number: Int, name: String) {
        self.number = number
        self.name = name
    }

    /// From the description; `Signal N` for one the backtracer does not name.
    init(description: String) {
        if let known = Self.known[description] {
            self = known
        } else if description.hasPrefix("Signal "), let number = Int(description.dropFirst(7)) {
            self.init(number: number, name: "signal \(number)")
        } else {
            self.init(number: 0, name: "unknown signal")
        }
    }
}
