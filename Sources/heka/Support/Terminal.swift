import HekaPlatform

/// Whether standard error is a terminal (for a live progress line).
var standardErrorIsTerminal: Bool { isTerminal(2) }
