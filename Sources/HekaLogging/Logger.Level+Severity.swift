import HekaClient
import Logging

extension Severity {
    /// The severity a swift-log level is sent at: trace and debug 7, info 6, notice 5,
    /// warning 4, error 3, critical 2. swift-log has no level for 0 (emergency) or 1
    /// (alert); `HekaClient.exception(_:message:fields:)` still sends at 1.
    @inlinable
    public init(_ level: Logger.Level) {
        switch level {
        case .trace, .debug: self = .debug
        case .info: self = .informational
        case .notice: self = .notice
        case .warning: self = .warning
        case .error: self = .error
        case .critical: self = .critical
        }
    }
}

extension Logger.Level {
    /// The least severe swift-log level whose messages a client with `threshold` as its
    /// `HekaClient.severityThreshold` sends: 7 (debug) admits everything from `.trace`, 6
    /// `.info`, 5 `.notice`, 4 `.warning`, 3 `.error`, and 2 or less `.critical` (a
    /// threshold of 1 or 0 refuses even that one; the client drops it and counts it as
    /// filtered).
    public init(threshold: Severity) {
        switch threshold.rawValue {
        case 7...: self = .trace
        case 6: self = .info
        case 5: self = .notice
        case 4: self = .warning
        case 3: self = .error
        default: self = .critical
        }
    }
}
