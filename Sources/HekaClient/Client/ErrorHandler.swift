import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a client does with a ``SendError``. It runs on the thread that logged (or on a
/// stream's writer thread) and must not block.
public struct ErrorHandler: Sendable {
    private let handle: @Sendable (SendError) -> Void

    /// Any closure.
    public init(_ handle: @escaping @Sendable (SendError) -> Void) { self.handle = handle }

    /// Calls the handler.
    public func callAsFunction(_ error: SendError) { handle(error) }

    /// Ignores errors; they are still counted.
    public static let ignore = ErrorHandler { _ in }

    /// The default: one line on standard error, `heka: <what failed>`, at most one line per
    /// `interval` (one second); the next line printed says how many were held back.
    public static func standardError(interval: Duration = .seconds(1)) -> ErrorHandler {
        let limiter = RateLimiter(interval: interval)
        return ErrorHandler { error in
            guard let suppressed = limiter.admit() else { return }
            let note = suppressed > 0 ? " (\(suppressed) earlier errors not shown)" : ""
            let line = Array("heka: \(error)\(note)\n".utf8)
            line.withUnsafeBytes { _ = write(2, $0.baseAddress, $0.count) }
        }
    }
}

/// Lets one event through per interval and counts the others.
final class RateLimiter: Sendable {
    private struct State {
        var next: ContinuousClock.Instant?
        var suppressed = 0
    }
    private let interval: Duration
    private let state = Mutex(State())

    init(interval: Duration) { self.interval = interval }

    /// `nil` when the event is held back; else how many were held back since the last one.
    func admit() -> Int? {
        let now = ContinuousClock.now
        return state.withLock { state in
            if let next = state.next, now < next {
                state.suppressed += 1
                return nil
            }
            state.next = now + interval
            defer { state.suppressed = 0 }
            return state.suppressed
        }
    }
}
