import Streams

/// What a client does with a ``SendError``. It runs on the thread that logged (or on a
/// stream's writer thread) and must not block. `ErrorHandler { error in … }`,
/// `.standardError()` (the default: a rate-limited line on standard error) or `.ignore`.
public typealias ErrorHandler = FailureHandler<SendError>

extension FailureHandler where Failure == SendError {
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
    ///
    /// The stream's handler counts as this one for the re-entrancy check (see
    /// ``FailureHandler``): a stream failure caused by this handler on its own thread is
    /// counted, not handed back to it.
    public func forStream(named stream: String) -> StreamErrorHandler {
        adapted { error in SendError(code: .streamFailed, messageType: nil, stream: stream, underlying: error) }
    }
}
