/// An error raised by a ``HekaStream``.
///
/// Follows the swift-server convention: a struct with an extensible ``Code`` rather than a
/// public enum, so that new cases do not break users' `switch` statements.
public struct StreamError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Value: String, Sendable, Hashable {
            case invalidConfiguration, openFailed, resolveFailed, connectFailed, writeFailed
            case recordTooLarge, queueFull, timedOut, closed, connectionLost, destinationUnreachable
        }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// The stream's arguments are wrong (a bad port, no destination, …).
        public static let invalidConfiguration = Code(.invalidConfiguration)
        /// A file could not be opened or a socket created.
        public static let openFailed = Code(.openFailed)
        /// A host name did not resolve to an address.
        public static let resolveFailed = Code(.resolveFailed)
        /// A TCP connection could not be made.
        public static let connectFailed = Code(.connectFailed)
        /// The operating system refused a write or send.
        public static let writeFailed = Code(.writeFailed)
        /// The record is larger than the transport can carry whole (a UDP datagram).
        public static let recordTooLarge = Code(.recordTooLarge)
        /// A background writer's queue was full; the record was dropped and counted.
        public static let queueFull = Code(.queueFull)
        /// `flush` or `close` ran out of time with records still pending.
        public static let timedOut = Code(.timedOut)
        /// The stream was closed before the write.
        public static let closed = Code(.closed)
        /// An established connection broke; the writer reconnects.
        public static let connectionLost = Code(.connectionLost)
        /// A UDP destination reported (by ICMP) that datagrams sent to it were not
        /// delivered, usually because nothing listens on its port. The stream goes on sending.
        public static let destinationUnreachable = Code(.destinationUnreachable)

        public var description: String { value.rawValue }
    }

    /// What kind of failure this is.
    public var code: Code
    /// A sentence for people, naming the stream and what happened.
    public var message: String
    /// The `errno` value behind the failure, when there is one.
    public var errno: Int32?

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
