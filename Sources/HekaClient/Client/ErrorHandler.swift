import HekaPlatform
import Streams

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
        let lines = StandardErrorLines(interval: interval)
        return ErrorHandler { lines.write("\($0)") }
    }

    /// A handler to make a stream with, so that what the stream finds after a write returned
    /// (a TCP writer losing its connection) reaches this handler too, as
    /// ``SendError/Code/streamFailed`` errors naming `stream`:
    ///
    /// ```swift
    /// let errors = ErrorHandler { error in log(error) }
    /// let stream = try TcpStream(host: "collector", port: 5565,
    ///                            errorHandler: errors.forStream(named: "tcp://collector:5565"))
    /// let client = HekaClient(stream: stream, errorHandler: errors)
    /// ```
    ///
    /// A client built from a configuration does this itself.
    public func forStream(named stream: String) -> StreamErrorHandler {
        StreamErrorHandler { error in
            self(SendError(code: .streamFailed, messageType: nil, stream: stream, underlying: error))
        }
    }
}
