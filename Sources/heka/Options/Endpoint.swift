import ArgumentParser
import Streams

/// A `HOST:PORT` argument (`127.0.0.1:5565`, `[::1]:5565`, `localhost:5565`, or a bare
/// `PORT` for 127.0.0.1): the streams' ``HostAndPort``, read by its own parser.
typealias Endpoint = HostAndPort

extension HostAndPort: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(parsing: argument)
    }

    public static var defaultCompletionKind: CompletionKind { .default }

    /// Fails unless the port can be sent to (1–65535; 0 only makes sense for listening).
    func checkSendable(option: String) throws {
        guard Self.sendablePorts.contains(port) else {
            throw ValidationError("\(option) \(self): port 0 can only be listened on")
        }
    }
}
