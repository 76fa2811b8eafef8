import ArgumentParser
import Streams

/// A `HOST:PORT` argument (`127.0.0.1:5565`, `[::1]:5565`, `localhost:5565`, or a bare
/// `PORT` for 127.0.0.1): the streams' ``HostAndPort``, read by its own parser. An option
/// reads it with `transform: Endpoint.sendable` or `Endpoint.listenable`, so that a value
/// refused says why.
typealias Endpoint = HostAndPort

extension HostAndPort {
    /// `text` read by ``HostAndPort/init(parsing:defaultHost:)`` for an option that sends,
    /// or a usage error saying why it is not a host and port one can send to (port 0 is
    /// left to ``checkSendable(option:)``).
    @Sendable static func sendable(_ text: String) throws -> Endpoint {
        try parsed(text, ports: "1–65535")
    }

    /// `text` read by ``HostAndPort/init(parsing:defaultHost:)`` for a listener (port 0
    /// asks for a free port), or a usage error saying why it is not a host and port.
    @Sendable static func listenable(_ text: String) throws -> Endpoint {
        try parsed(text, ports: "0–65535")
    }

    /// The parser's result, or its refusal explained: the parser decides, this only finds
    /// the words. `ports` is the range the option takes, as written in the message.
    private static func parsed(_ text: String, ports: String) throws -> Endpoint {
        if let endpoint = HostAndPort(parsing: text) { return endpoint }
        let example = "as in 127.0.0.1:5565, [::1]:5565 or localhost:5565"
        let hostPart: Substring, portPart: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else {
                throw ValidationError("an IPv6 address in brackets is followed by :PORT, as in [::1]:5565")
            }
            hostPart = text[text.index(after: text.startIndex)..<close]
            portPart = text[text.index(close, offsetBy: 2)...]
        } else if let colon = text.lastIndex(of: ":") {
            hostPart = text[..<colon]
            portPart = text[text.index(after: colon)...]
            if hostPart.contains(":") {
                throw ValidationError("an IPv6 address is written in brackets before the port, as in [::1]:5565")
            }
        } else if text.allSatisfy(\.isNumber) && !text.isEmpty {
            hostPart = "127.0.0.1"
            portPart = text[...]
        } else {
            throw ValidationError("no port is given; expected HOST:PORT, \(example)")
        }
        if hostPart.isEmpty { throw ValidationError("the host is empty; expected HOST:PORT, \(example)") }
        if portPart.isEmpty { throw ValidationError("the port is empty; expected HOST:PORT, \(example)") }
        guard portPart.allSatisfy(\.isASCII), Int(portPart) != nil else {
            throw ValidationError("the port \"\(portPart)\" is not a number in \(ports)")
        }
        throw ValidationError("the port \(portPart) is outside \(ports)")
    }

    /// Fails unless the port can be sent to (1–65535; 0 only makes sense for listening).
    func checkSendable(option: String) throws {
        guard Self.sendablePorts.contains(port) else {
            throw ValidationError("\(option) \(self): port 0 can only be listened on")
        }
    }
}
