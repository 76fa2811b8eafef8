import HekaPlatform

/// A host and a port: where a socket stream sends, or where a listener listens.
///
/// The package's one host-and-port type: the UDP and TCP streams, their configuration and
/// the command-line tool's `HOST:PORT` arguments all use it, so a port is checked and an
/// endpoint written the same way everywhere.
public struct HostAndPort: Sendable, Hashable, CustomStringConvertible {
    /// An IPv4 or IPv6 literal (brackets optional) or a host name.
    public var host: String
    /// The port: 1...65535 to send to; 0 asks the kernel for a free port to listen on.
    public var port: Int

    /// The ports a stream can send to.
    public static let sendablePorts: ClosedRange<Int> = HekaPlatform.sendablePorts

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Reads `HOST:PORT` (`127.0.0.1:5565`, `[::1]:5565`, `localhost:5565`), or a bare
    /// `PORT` for `defaultHost`. The port may be 0 (for a listener); `nil` for anything else
    /// that is not a host and a port in 0...65535.
    public init?(parsing text: String, defaultHost: String = "127.0.0.1") {
        let hostPart: Substring
        let portPart: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else {
                return nil
            }
            hostPart = text[text.index(after: text.startIndex)..<close]
            portPart = text[text.index(close, offsetBy: 2)...]
        } else if let colon = text.lastIndex(of: ":") {
            hostPart = text[..<colon]
            portPart = text[text.index(after: colon)...]
            guard !hostPart.contains(":") else { return nil }
        } else {
            hostPart = defaultHost[...]
            portPart = text[...]
        }
        guard !hostPart.isEmpty, portPart.allSatisfy(\.isASCII), let port = Int(portPart),
              (0...Self.sendablePorts.upperBound).contains(port)
        else { return nil }
        self.init(host: String(hostPart), port: port)
    }

    /// `host:port`, with an IPv6 literal in brackets (`[::1]:5565`).
    public var description: String { endpointDescription(host: host, port: port) }
}
