import HekaClient
import Streams

/// A Sentry DSN: `https://<public key>[:<secret key>]@<host>[:<port>][/<path>]/<project id>`.
///
/// Raven 3.x DSNs carry a secret key; today's carry only the public key. Both are read; the
/// ``description`` masks the secret.
public struct SentryDSN: Sendable, Hashable, CustomStringConvertible, CustomReflectable {
    /// `https`, `http` or `udp` (raven's UDP transport, which hekad's SentryOutput speaks).
    public var scheme: String
    /// The public key (the DSN's user).
    public var publicKey: String
    /// The secret key (the DSN's password), which newer DSNs leave out.
    public var secretKey: String?
    /// The Sentry host.
    public var host: String
    /// The port, when the DSN names one.
    public var port: Int?
    /// Any path before the project id, without slashes at either end (often empty).
    public var path: String
    /// The project id: the DSN's last path component.
    public var projectID: String

    /// The DSN as written (with its secret): what the `dsn` field of a message carries,
    /// for hekad's SentryOutput signs its requests with it.
    public var text: String

    /// Reads a DSN.
    /// - Throws: ``DSNError`` saying which part is wrong.
    public init(parsing text: String) throws(DSNError) {
        let text = text.trimmingWhitespace
        self.text = text
        guard let schemeEnd = text.range(of: "://") else { throw DSNError("a DSN starts with https://, http:// or udp://") }
        guard !text.contains(where: { $0.isWhitespace || $0.unicodeScalars.contains { $0.properties.generalCategory == .control } })
        else { throw DSNError("a DSN has no spaces or control characters") }
        scheme = text[..<schemeEnd.lowerBound].lowercased()
        guard ["https", "http", "udp"].contains(scheme) else {
            // Only a plain word is repeated: text before "://" may hold the key and secret.
            let isWord = scheme.count <= 10 && scheme.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
            throw DSNError(isWord ? "the scheme \"\(scheme)\" is not https, http or udp" : "a DSN starts with https://, http:// or udp://")
        }
        let rest = text[schemeEnd.upperBound...]
        // The authority (key@host:port) ends at the first "/", as in any URL, so neither a
        // key nor a host can take in the path or another "@".
        let authority = rest[..<(rest.firstIndex(of: "/") ?? rest.endIndex)]
        guard let at = authority.lastIndex(of: "@") else { throw DSNError("a DSN has a key before \"@\"", incomplete: true) }
        let user = authority[..<at]
        if let colon = user.firstIndex(of: ":") {
            publicKey = String(user[..<colon])
            secretKey = String(user[user.index(after: colon)...])
        } else {
            publicKey = String(user)
        }
        guard !publicKey.isEmpty else { throw DSNError("the public key before \"@\" is empty", incomplete: true) }
        guard !user.contains("@") else { throw DSNError("the key before \"@\" contains another \"@\"") }
        let location = rest[rest.index(after: at)...]
        let hostEnd = location.firstIndex(of: "/") ?? location.endIndex
        var hostPort = location[..<hostEnd]
        if let colon = hostPort.lastIndex(of: ":"), !hostPort.hasSuffix("]") {
            guard let number = Int(hostPort[hostPort.index(after: colon)...]), HostAndPort.sendablePorts.contains(number) else {
                throw DSNError("the port is not an integer in 1–65535")
            }
            port = number
            hostPort = hostPort[..<colon]
        }
        host = String(hostPort)
        guard !host.isEmpty else { throw DSNError("the host is empty", incomplete: true) }
        let components = location[hostEnd...].split(separator: "/")
        guard let project = components.last, !project.isEmpty else {
            throw DSNError("a DSN ends with the project id, as in https://key@sentry.example.com/42", incomplete: true)
        }
        projectID = String(project)
        path = components.dropLast().joined(separator: "/")
    }

    /// The DSN with its secret key masked.
    public var description: String {
        let secret = secretKey == nil ? "" : ":********"
        let portText = port.map { ":\($0)" } ?? ""
        let pathText = path.isEmpty ? "" : path + "/"
        return "\(scheme)://\(publicKey)\(secret)@\(host)\(portText)/\(pathText)\(projectID)"
    }

    /// What `dump` and debuggers show: the secret key and the text masked.
    public var customMirror: Mirror {
        Mirror(self, children: [
            "scheme": scheme, "publicKey": publicKey, "secretKey": secretKey.map { _ in RedactionPolicy.mask } as Any,
            "host": host, "port": port as Any, "path": path, "projectID": projectID, "text": description,
        ])
    }

    /// Why a text is not a DSN.
    public struct DSNError: Error, Sendable, Hashable, CustomStringConvertible {
        /// What is wrong, without repeating the text (which may hold a secret).
        public var description: String
        /// Whether the text is a DSN with parts left out (the key, the host or the project
        /// id, as in `udp://` or `https://key@host`) rather than a malformed one (no
        /// `scheme://`, an unknown scheme, spaces, a bad port, a second `@` in the key).
        public var isIncomplete: Bool

        init(_ description: String, incomplete: Bool = false) {
            self.description = description
            isIncomplete = incomplete
        }
    }
}
