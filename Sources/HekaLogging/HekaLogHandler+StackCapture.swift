import Logging

extension HekaLogHandler {
    /// Which log calls also send their stack as a Sentry event through the raven plugin
    /// (`client.raven(_:error:extra:tags:)` of HekaRaven).
    ///
    /// Such a call sends two messages: the log message as any other call does, and then a
    /// raven message (type `stacktrace`, severity 3 unless the client's
    /// `[heka_plugin_raven]` section says otherwise), whose event has the log message as
    /// its message, the call's error (if any) as its exception, and as `extra` the call's
    /// metadata (merged as for the log message) with `logger` (the label), `level`, and the
    /// call's `source`, `file`, `function` and `line`. The call's error is swift-log's
    /// `error:` argument, or else the first metadata value (by key) that is an `Error`
    /// (`metadata: ["error": .stringConvertible(error)]`, for an error that is
    /// `CustomStringConvertible`).
    ///
    /// Capturing a stack costs microseconds on the calling thread; a call path not seen
    /// before is symbolicated on the raven worker thread, so the stack's message may reach
    /// the stream after later messages (`HekaClient.flush(timeout:)` waits for it).
    public struct StackCapture: Sendable, Hashable {
        /// Calls at this level or more severe send their stack; `nil`: no level does.
        public var minimumLevel: Logger.Level?
        /// Whether a call that carries an error sends its stack whatever its level.
        public var whenErrorAttached: Bool

        /// No call sends its stack: the default.
        public static let never = StackCapture(minimumLevel: nil, whenErrorAttached: false)
        /// `error` and `critical` calls send their stack.
        public static let errors = StackCapture(minimumLevel: .error, whenErrorAttached: false)
        /// `error` and `critical` calls, and every call that carries an error, send their
        /// stack.
        public static let errorsAndAttachedErrors = StackCapture(minimumLevel: .error, whenErrorAttached: true)

        /// - Parameters:
        ///   - minimumLevel: the least severe level that sends its stack; `nil` for none.
        ///   - whenErrorAttached: whether any call that carries an error sends its stack.
        public init(minimumLevel: Logger.Level?, whenErrorAttached: Bool) {
            self.minimumLevel = minimumLevel
            self.whenErrorAttached = whenErrorAttached
        }

        /// Whether a call at `level`, carrying an error or not, sends its stack.
        @inlinable
        public func captures(_ level: Logger.Level, errorAttached: Bool) -> Bool {
            if let minimumLevel, level >= minimumLevel { return true }
            return whenErrorAttached && errorAttached
        }
    }
}
