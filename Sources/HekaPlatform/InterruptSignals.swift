#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Set when SIGINT or SIGTERM arrives, once ``InterruptSignals/install()`` has run.
private let interruptRequested = Atomic<Bool>(false)

/// Ctrl-C (SIGINT) and SIGTERM for long-running commands: the handler only sets
/// ``interruptRequested`` (an atomic store is safe in a signal handler), and it is installed
/// without SA_RESTART, so a blocking `read` or `poll` returns EINTR and the command's loop
/// sees the flag, finishes what it has and prints its summary. For the command-line tool
/// only: a library never changes its host's signal dispositions.
public enum InterruptSignals {
    public static func install() {
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
    public static var requested: Bool { interruptRequested.load(ordering: .relaxed) }
}
