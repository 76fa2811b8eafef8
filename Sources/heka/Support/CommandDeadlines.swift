extension Duration {
    /// How long a command waits at its end for what it sent: a stack captured by the
    /// command is symbolicated first, which in a debug build of `heka` (over 100 MB of debug
    /// information) takes seconds on a busy machine, longer than a library's default flush.
    static let commandClose = Duration.seconds(30)
}
