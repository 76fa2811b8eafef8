import HekaPlatform

/// Ctrl-C (SIGINT) and SIGTERM end a long-running command cleanly: see
/// ``InterruptSignals``.
enum Interrupt {
    static func install() { InterruptSignals.install() }

    /// Whether an interrupt has arrived.
    static var requested: Bool { InterruptSignals.requested }
}

/// Whether standard error is a terminal (for a live progress line).
var standardErrorIsTerminal: Bool { isTerminal(2) }
