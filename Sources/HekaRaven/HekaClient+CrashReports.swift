import Foundation
import HekaClient
import HekaPlatform
import Streams

/// What `HekaClient.sendCrashReports(in:timeout:)` did with the reports it found.
public struct CrashReportSummary: Sendable, Hashable, CustomStringConvertible {
    /// Reports sent and removed.
    public var sent = 0
    /// Reports that could not be read, moved to the directory's `unreadable/` and reported
    /// to the client's error handler.
    public var setAside = 0
    /// Reports left where they were: still being written, or their record could not be
    /// delivered or they could not be claimed (both reported to the error handler); the
    /// next start sends them.
    public var left = 0

    /// Nothing found.
    public init() {}

    public var description: String { "\(sent) sent, \(setAside) unreadable, \(left) left for later" }
}

/// A crash report that could not be dealt with, as handed to the error handler: one that
/// cannot be read (kept in `unreadable/`), cannot be claimed, or was sent but cannot be
/// removed.
public struct CrashReportError: Error, Sendable, CustomStringConvertible {
    /// Where the report is now.
    public var path: String
    /// What happened, and what becomes of the report.
    public var reason: String

    public var description: String { "crash report \(path) \(reason)" }
}

extension HekaClient {
    /// Sends the crash reports waiting in `directory` (default: the raven plugin's
    /// ``RavenPlugin/crashReports``) as fatal raven events, one message each, and removes
    /// each report once its record was written and the stream flushed. Returns when every
    /// report has been dealt with.
    ///
    /// A client whose raven plugin names a directory already does this in the background when
    /// it is made; call this where a report is known to be waiting (`heka run` does, the
    /// moment its program dies). A report the backtracer is still writing is left for later; a
    /// report that cannot be read is moved to `unreadable/` and reported to the error handler,
    /// never deleted; a report whose record could not be delivered stays, and is reported.
    /// Reports are claimed before they are sent, so two processes sending from one directory
    /// never send one twice; the event's id is made from the report's bytes, so Sentry keeps
    /// one event even if a process dies between sending a report and removing it.
    ///
    /// - Parameters:
    ///   - directory: the directory `SWIFT_BACKTRACE`'s `output-to` names; `nil` for the
    ///     plugin's setting (nothing is done when there is none).
    ///   - timeout: how long the stream may take to deliver each report's record.
    @discardableResult
    public func sendCrashReports(in directory: String? = nil, timeout: Duration = .seconds(10)) -> CrashReportSummary {
        let settings = plugin(RavenPlugin.self) ?? RavenPlugin()
        guard let path = directory ?? settings.crashReports else { return CrashReportSummary() }
        return CrashReportSending.serialized(path) {
            CrashReportSending(client: self, settings: settings, directory: CrashReportDirectory(path: path),
                               timeout: timeout).run()
        }
    }
}

/// One pass over a crash-report directory on behalf of a client.
struct CrashReportSending {
    let client: HekaClient
    let settings: RavenPlugin
    let directory: CrashReportDirectory
    let timeout: Duration

    func run() -> CrashReportSummary {
        var summary = CrashReportSummary()
        directory.releaseAbandonedClaims()
        for name in directory.waiting() {
            guard let bytes = FileManager.default.contents(atPath: directory.path + "/" + name).map(Array.init) else {
                continue  // claimed by another process meanwhile
            }
            let report: CrashReport
            do {
                report = try CrashReport(parsing: bytes)
            } catch {
                guard directory.hasSettled(name) else {
                    summary.left += 1  // still being written
                    continue
                }
                guard let claim = claim(name, &summary) else { continue }
                let kept = directory.setAside(claim) ?? claim.path
                summary.setAside += 1
                fail(.encodingFailed, CrashReportError(path: kept, reason: "cannot be read (\(error)); it is kept there"))
                continue
            }
            guard let claim = claim(name, &summary) else { continue }
            guard send(report, named: name, bytes: bytes) else {
                _ = directory.release(claim)
                summary.left += 1
                continue
            }
            summary.sent += 1
            if !directory.remove(claim) {
                _ = directory.release(claim)
                fail(.writeFailed, CrashReportError(
                    path: directory.path + "/" + name,
                    reason: "was sent but cannot be removed; it will be sent again, with the same event id"))
            }
        }
        return summary
    }

    /// Claims `name`; `nil` when another process took it first, or, said to the error
    /// handler and counted as left, when it cannot be renamed (a directory this process may
    /// not write).
    private func claim(_ name: String, _ summary: inout CrashReportSummary) -> CrashReportDirectory.Claim? {
        if let claim = directory.claim(name) { return claim }
        if FileManager.default.fileExists(atPath: directory.path + "/" + name) {
            summary.left += 1
            fail(.writeFailed, CrashReportError(
                path: directory.path + "/" + name, reason: "cannot be claimed for sending (renamed); it stays"))
        }
        return nil
    }

    /// Sends one report and waits for the stream to deliver it: whether it did, with no
    /// failure counted meanwhile. (A failure of another message at that moment counts too:
    /// the report is then sent again later, under the same event id.)
    private func send(_ report: CrashReport, named name: String, bytes: [UInt8]) -> Bool {
        let sender = RavenSender(client: client, settings: settings)
        let (capture, stack) = report.capture(sender: sender, fileName: name, bytes: bytes)
        let failures = client.statistics.messagesFailed
        sender.send(capture, stack: stack)
        do {
            try client.stream.flush(timeout: timeout)
        } catch {
            fail(.flushFailed, error)
            return false
        }
        return client.statistics.messagesFailed == failures
    }

    private func fail(_ code: SendError.Code, _ error: any Error & Sendable) {
        client.errorHandler(SendError(code: code, messageType: settings.messageType,
                                      stream: client.stream.description, underlying: error))
    }

    /// Directories being sent from in this process: one pass at a time per directory.
    private static let busy = ConditionLock<Set<String>>([])

    /// Runs `body` once no other pass over `path` is running in this process.
    static func serialized<Result>(_ path: String, _ body: () -> Result) -> Result {
        busy.withLock(waitingUntil: { !$0.contains(path) }, deadline: nil) { busy, _ in _ = busy.insert(path) }
        defer {
            busy.withLock { _ = $0.remove(path) }
            busy.broadcast()
        }
        return body()
    }
}
