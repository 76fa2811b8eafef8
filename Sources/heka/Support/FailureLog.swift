import ArgumentParser
import Foundation
import HekaClient
import HekaPlatform
import Streams

/// Collects a client's failures for a command that reports them and then exits non-zero:
/// each is printed at once (`heka send: …`), up to a limit, and counted. A UDP
/// destination's report that datagrams were not delivered is kept aside instead
/// (``unreachable``): ``UdpDeliveryCheck`` says it in the command's own words at the end.
final class FailureLog: Sendable {
    private let command: String
    private let shownLimit: Int
    private let state = LockedValue((count: 0, first: String?.none))
    private let unreachableReport = LockedValue(StreamError?.none)

    init(command: String, shownLimit: Int = 10) {
        self.command = command
        self.shownLimit = shownLimit
    }

    /// A handler for ``HekaClient/init(configuration:errorHandler:)``.
    var handler: ErrorHandler {
        ErrorHandler { [self] error in
            if let report = error.underlying as? StreamError, report.code == .destinationUnreachable {
                unreachableReport.withLock { $0 = $0 ?? report }
            } else {
                record("\(error)")
            }
        }
    }

    /// The first report that datagrams sent to a UDP destination were not delivered.
    var unreachable: StreamError? { unreachableReport.withLock { $0 } }

    /// The command's name, as failures are prefixed with it (`heka send`).
    var prefix: String { "heka \(command)" }

    /// Counts one failure and prints it unless the limit has been reached (or `silently`).
    func record(_ text: String, silently: Bool = false) {
        let count = state.withLock { state in
            state.count += 1
            if state.first == nil { state.first = text }
            return state.count
        }
        if silently { return }
        if count <= shownLimit {
            printError("\(prefix): \(text)")
        } else if count == shownLimit + 1 {
            printError("\(prefix): more failures follow; only their number is reported")
        }
    }

    /// How many failures were recorded.
    var count: Int { state.withLock { $0.count } }
}

/// Writes one line to standard error, unbuffered. A standard error that cannot be written
/// (its reader gone, the disk full) is ignored: there is nowhere left to say so.
func printError(_ line: String) {
    _ = writeAll(fd: 2, Array((line + "\n").utf8))
}

/// Writes `text` to standard output, unbuffered, for a command whose output is its result;
/// throws `ExitCode(1)` when it cannot be written. A reader that has gone (`EPIPE`: the
/// command piped into `head`) ends the command quietly, as Unix filters end; any other
/// failure (`ENOSPC` for `> /dev/full`) is said on standard error first.
func writeResult(_ text: String, command: String) throws(ExitCode) {
    guard let code = writeAll(fd: 1, Array(text.utf8)) else { return }
    if !isBrokenPipe(code) { printError("heka \(command): cannot write to standard output: \(systemErrorMessage(code))") }
    throw ExitCode(1)
}

/// Whether `error` is a write that failed because standard output's reader has gone.
func isBrokenPipeFailure(_ error: any Error) -> Bool {
    let stream = (error as? SendError)?.underlying as? StreamError ?? error as? StreamError
    return isBrokenPipe(stream?.errno)
}
