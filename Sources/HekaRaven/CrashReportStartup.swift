import Foundation
import HekaClient
import HekaPlatform
import Streams

/// The start-up pass over a client's crash-report directory, on a thread of its own, so
/// that making the client never waits for it. The client's `flush` and `close` wait for it
/// (``PendingWork``): a program that sends a message and closes at once still delivers the
/// reports found at its start.
final class CrashReportStartup: PendingWork {
    private let done = ConditionLock(false)

    /// Starts sending `client`'s waiting reports in the background.
    static func start(for client: HekaClient) {
        let startup = CrashReportStartup()
        client.addPendingWork(startup)
        let thread = Thread {
            client.sendCrashReports()
            startup.done.withLock { $0 = true }
            startup.done.broadcast()
        }
        thread.name = "heka-crash-reports"
        thread.start()
    }

    func finish(for client: HekaClient, timeout: Duration) throws(StreamError) {
        let finished = done.withLock(waitingUntil: { $0 }, deadline: .after(timeout)) { _, finished in finished }
        guard finished else {
            throw StreamError(
                .timedOut, "raven: the crash reports found at start-up are still being sent after \(timeout.millisecondsText)")
        }
    }
}
