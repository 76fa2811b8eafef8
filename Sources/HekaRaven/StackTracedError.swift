import Runtime

/// The stack of the place where an error was made: return addresses only, symbolicated
/// when the error is sent (through the same cache and worker as `raven(_:error:extra:tags:)`'s
/// own stacks), never when it is merely thrown and caught.
public struct CapturedThrowSite: Sendable {
    /// `nil` when the stack could not be walked; the capture then uses its own.
    let backtrace: Backtrace?

    /// Walks the calling thread's stack.
    ///
    /// Costs about what ``StackTracedError`` costs to make; frames of this library are
    /// left out when the stack is sent, so the innermost frame is the caller's.
    @inline(never)
    public init() {
        backtrace = StackCapture.backtrace()
    }
}

/// An error that carries the stack of the place where it was made.
///
/// Swift errors carry no stack, so a `raven(_:error:)` or `captureStack` that sends one
/// reports the stack of the function that caught it. When the error (or an error it wraps
/// in a ``StackTracedError``) conforms to this protocol, they report its ``throwSite``
/// instead: the event's culprit and innermost frame are the function that made the error.
///
/// ```swift
/// struct PaymentError: StackTracingError {
///     var reason: String
///     let throwSite = CapturedThrowSite()
/// }
/// ```
public protocol StackTracingError: Error {
    /// The stack where the error was made.
    var throwSite: CapturedThrowSite { get }
}

/// Any error, with the stack of the place where it was wrapped: the opt-in that makes
/// events name the function that threw rather than the one that caught.
///
/// ```swift
/// func charge(_ card: Card) throws {
///     guard card.valid else { throw StackTracedError(PaymentError.declined) }
/// }
/// do { try checkout() } catch { client.raven("checkout failed", error: error) }
/// ```
///
/// The event's exception (type, module, value) is the wrapped error's; its stack is the
/// one captured here. Making one walks the stack and keeps its return addresses, without
/// symbolicating it: about 8 µs (10,000 made and thrown in 80 ms, release build, 20 frames
/// deep, Linux x86-64 on a busy two-core machine), where a plain error costs nanoseconds;
/// keep it for errors that may be reported, not for control flow. Symbolicating happens
/// only when the error is sent, once per call path. Catch it by its wrapped type with `catch let traced as StackTracedError<E>` and
/// ``error``.
public struct StackTracedError<Wrapped: Error>: StackTracingError, CustomStringConvertible {
    /// The error that was thrown.
    public let error: Wrapped
    /// The stack where this wrapper was made.
    public let throwSite: CapturedThrowSite

    /// Wraps `error` with the calling thread's stack.
    @inline(never)
    public init(_ error: Wrapped) {
        self.error = error
        throwSite = CapturedThrowSite()
    }

    /// The wrapped error's description.
    public var description: String { String(describing: error) }
}

/// An error that stands for another: an event reports the inner one.
protocol WrappingError {
    var wrappedError: any Error { get }
}

extension StackTracedError: WrappingError {
    var wrappedError: any Error { error }
}

/// Finds what an event reports about an error.
enum ThrowSite {
    /// The error the event names (inside any ``StackTracedError``s) and the innermost
    /// throw-site stack found on the way in.
    static func unwrap(_ error: any Error) -> (reported: any Error, backtrace: Backtrace?) {
        var current = error
        var backtrace: Backtrace?
        // A few levels at most: a wrapper of a wrapper is already unusual.
        for _ in 0..<8 {
            if let tracing = current as? any StackTracingError, let site = tracing.throwSite.backtrace {
                backtrace = site
            }
            guard let wrapper = current as? any WrappingError else { break }
            current = wrapper.wrappedError
        }
        return (current, backtrace)
    }
}
