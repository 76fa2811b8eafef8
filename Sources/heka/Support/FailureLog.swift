import Foundation
import HekaClient
import HekaPlatform

/// Collects a client's failures for a command that reports them and then exits non-zero:
/// each is printed at once (`heka send: …`), up to a limit, and counted.
final class FailureLog: Sendable {
    private let command: String
    private let shownLimit: Int
    private let state = LockedValue((count: 0, first: String?.none))

    init(command: String, shownLimit: Int = 10) {
        self.command = command
        self.shownLimit = shownLimit
    }

    /// A handler for ``HekaClient/init(configuration:errorHandler:)``.
    var handler: ErrorHandler {
        ErrorHandler { [self] error in record("\(error)") }
    }

    /// Counts one failure and prints it unless the limit has been reached.
    func record(_ text: String) {
        let count = state.withLock { state in
            state.count += 1
            if state.first == nil { state.first = text }
            return state.count
        }
        if count <= shownLimit {
            printError("heka \(command): \(text)")
        } else if count == shownLimit + 1 {
            printError("heka \(command): more failures follow; only their number is reported")
        }
    }

    /// How many failures were recorded.
    var count: Int { state.withLock { $0.count } }
}

/// Writes one line to standard error, unbuffered.
func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
