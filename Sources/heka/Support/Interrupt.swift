#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Set when SIGINT or SIGTERM arrives, once ``Interrupt/install()`` has run.
let interruptRequested = Atomic<Bool>(false)

/// Ctrl-C (SIGINT) and SIGTERM end a long-running command cleanly: the handler only sets a
/// flag (an atomic store is safe in a signal handler), and it is installed without
/// SA_RESTART, so a blocking `read` or `poll` returns EINTR and the command's loop sees the
/// flag, finishes what it has and prints its summary.
enum Interrupt {
    static func install() {
        // A parent may have started this process with the signals blocked (the mask is
        // inherited); unblock them, or Ctrl-C would never arrive.
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGINT)
        sigaddset(&signals, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &signals, nil)
        for signal in [SIGINT, SIGTERM] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { _ in interruptRequested.store(true, ordering: .relaxed) }
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            sigaction(signal, &action, nil)
        }
    }

    /// Whether an interrupt has arrived.
    static var requested: Bool { interruptRequested.load(ordering: .relaxed) }
}

/// Whether standard error is a terminal (for a live progress line).
var standardErrorIsTerminal: Bool { isatty(2) == 1 }
