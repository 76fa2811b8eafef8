import HekaPlatform
import SystemPackage

/// An error raised by a ``HekaStream``.
///
/// Follows the swift-server convention: a struct with an extensible ``Code`` rather than a
/// public enum, so that new cases do not break users' `switch` statements.
public struct StreamError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is.
    ///
    /// Extensible: a stream written outside this package uses the codes below where they
    /// fit and makes its own with ``init(_:)`` where they do not
    /// (`static let rateLimited = StreamError.Code("rateLimited")`).
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private let name: String

        /// A code of your own, named `name`. Two codes are equal when their names are.
        public init(_ name: String) { self.name = name }

        /// The stream's arguments are wrong (a bad port, no destination, …).
        public static let invalidConfiguration = Code("invalidConfiguration")
        /// A file could not be opened or a socket created.
        public static let openFailed = Code("openFailed")
        /// A host name did not resolve to an address.
        public static let resolveFailed = Code("resolveFailed")
        /// A TCP connection could not be made.
        public static let connectFailed = Code("connectFailed")
        /// The operating system refused a write or send.
        public static let writeFailed = Code("writeFailed")
        /// The record is larger than the transport can carry whole (a UDP datagram).
        public static let recordTooLarge = Code("recordTooLarge")
        /// A background writer's queue was full; the record was dropped and counted.
        public static let queueFull = Code("queueFull")
        /// `flush` or `close` ran out of time with records still pending.
        public static let timedOut = Code("timedOut")
        /// The stream was closed before the write.
        public static let closed = Code("closed")
        /// An established connection broke; the writer reconnects.
        public static let connectionLost = Code("connectionLost")
        /// A UDP destination reported (by ICMP) that datagrams sent to it were not
        /// delivered, usually because nothing listens on its port. The stream goes on sending.
        public static let destinationUnreachable = Code("destinationUnreachable")

        public var description: String { name }
    }

    /// What kind of failure this is.
    public var code: Code
    /// A sentence for people, naming the stream and what happened.
    public var message: String
    /// The `errno` value behind the failure, when there is one.
    public var errno: Int32?

    /// - Parameters:
    ///   - code: what kind of failure this is.
    ///   - message: a sentence naming the stream and what happened.
    ///   - errno: the `errno` value behind it, if any.
    public init(_ code: Code, _ message: String, errno: Int32? = nil) {
        self.code = code
        self.message = message
        self.errno = errno
    }

    public var description: String {
        if let errno { return "\(message) (\(code), errno \(errno))" }
        return "\(message) (\(code))"
    }
}

extension StreamError {
    /// A host or port that could not be resolved, for the stream `stream`.
    init(_ error: AddressError, stream: String) {
        self.init(error.kind == .invalid ? .invalidConfiguration : .resolveFailed, "\(stream): \(error.message)")
    }

    /// A system call that failed for the stream `stream`: `doing` says what it tried
    /// (`cannot create IPv4 socket`), the system's text follows.
    init(_ code: Code, _ errno: Errno, stream: String, doing: String) {
        self.init(code, "\(stream): \(doing): \(errno.description)", errno: errno.rawValue)
    }
}
