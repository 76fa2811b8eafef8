import ArgumentParser

/// A `HOST:PORT` argument: `127.0.0.1:5565`, `[::1]:5565`, `localhost:5565`, or a bare
/// `PORT` for 127.0.0.1.
struct Endpoint: ExpressibleByArgument, Hashable, CustomStringConvertible {
    var host: String
    var port: Int

    init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    init?(argument: String) {
        let hostPart: Substring
        let portPart: Substring
        if argument.hasPrefix("[") {
            guard let close = argument.firstIndex(of: "]"), argument[argument.index(after: close)...].hasPrefix(":")
            else { return nil }
            hostPart = argument[argument.index(after: argument.startIndex)..<close]
            portPart = argument[argument.index(close, offsetBy: 2)...]
        } else if let colon = argument.lastIndex(of: ":") {
            hostPart = argument[..<colon]
            portPart = argument[argument.index(after: colon)...]
            guard !hostPart.contains(":") else { return nil }
        } else {
            hostPart = "127.0.0.1"
            portPart = argument[...]
        }
        guard !hostPart.isEmpty, let port = Int(portPart), (0...65_535).contains(port) else { return nil }
        host = String(hostPart)
        self.port = port
    }

    static var defaultCompletionKind: CompletionKind { .default }

    /// `host:port`, with an IPv6 literal in brackets.
    var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// Fails unless the port can be sent to (1–65535; 0 only makes sense for listening).
    func checkSendable(option: String) throws {
        guard port != 0 else { throw ValidationError("\(option) \(self): port 0 can only be listened on") }
    }
}
