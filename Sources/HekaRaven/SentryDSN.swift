import HekaClient
import Streams

/// A Sentry DSN: `[<transport>+]<scheme>://<public key>[:<secret key>]@<host>[:<port>][/<path>]/<project id>[?<options>]`.
///
/// Read as raven (the Python client, 3.x and later) reads one, with Python's `urlparse`:
/// the key before the last `@` of the part after `//`, the secret after the key's first
/// `:`, the port after the host's first `:`, the project id after the path's last `/`, and
/// a query string as the transport's options (`?timeout=3`), never as part of the project
/// id. A transport prefix (`threaded+https`) is accepted as raven accepts it.
///
/// Raven 3.x DSNs carry a secret key; today's carry only the public key. Both are read; the
/// ``description`` and `dump` mask the secret, and the values of options whose names are
/// secret (`?sentry_secret=…`) as ``RedactionPolicy`` says.
public struct SentryDSN: Sendable, Hashable, CustomStringConvertible, CustomReflectable {
    /// `https`, `http` or `udp` (raven's UDP transport, which hekad's SentryOutput speaks),
    /// without a transport prefix.
    public var scheme: String
    /// The transport named before a `+` in the scheme (`threaded` in `threaded+https`);
    /// `nil` when there is none.
    public var transport: String?
    /// The public key (the DSN's user).
    public var publicKey: String
    /// The secret key (the DSN's password), which newer DSNs leave out.
    public var secretKey: String?
    /// The Sentry host (lowercased, an IPv6 address without brackets).
    public var host: String
    /// The port, when the DSN names one.
    public var port: Int?
    /// Any path before the project id, without slashes at either end (often empty).
    public var path: String
    /// The project id: the text after the path's last `/`.
    public var projectID: String
    /// The query string's options, decoded as raven's `dict(parse_qsl(query))`: the last of
    /// a repeated name wins, items without a value are left out.
    public var options: [String: String]

    /// The DSN as written (with its secret): what the `dsn` field of a message carries,
    /// for hekad's SentryOutput signs its requests with it.
    public var text: String

    /// The query as written, with the values of secret options masked; `nil` without `?`.
    private var maskedQuery: String?

    /// Reads a DSN.
    /// - Throws: ``DSNError`` saying which part is wrong.
    public init(parsing text: String) throws(DSNError) {
        let text = text.trimmingWhitespace
        self.text = text
        let url = SplitURL(text)
        guard let schemeText = url.scheme, url.netloc != nil else {
            throw DSNError("a DSN starts with https://, http:// or udp://")
        }
        guard !text.contains(where: { $0.isWhitespace || $0.unicodeScalars.contains { $0.properties.generalCategory == .control } })
        else { throw DSNError("a DSN has no spaces or control characters") }
        let fullScheme = schemeText.lowercased()
        let schemeParts = fullScheme.split(separator: "+", omittingEmptySubsequences: false)
        scheme = String(schemeParts.last ?? "")
        transport = schemeParts.count > 1 ? schemeParts.dropLast().joined(separator: "+") : nil
        guard ["https", "http", "udp"].contains(scheme) else {
            // Only a plain word is repeated; a scheme holds no ":" or "@", so no key or secret.
            let isWord = fullScheme.count <= 24 && fullScheme.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "+") }
            throw DSNError(isWord ? "the scheme \"\(fullScheme)\" is not https, http or udp"
                : "a DSN starts with https://, http:// or udp://")
        }
        guard let user = url.username else { throw DSNError("a DSN has a key before \"@\"", incomplete: true) }
        guard !user.isEmpty else { throw DSNError("the public key before \"@\" is empty", incomplete: true) }
        guard !user.contains("@") else { throw DSNError("the key before \"@\" contains another \"@\"") }
        publicKey = String(user)
        secretKey = url.password.map(String.init)
        let location = url.hostAndPort
        if let portText = location?.port, !portText.isEmpty {
            guard portText.allSatisfy(\.isASCII), let number = Int(portText), HostAndPort.sendablePorts.contains(number) else {
                throw DSNError("the port is not an integer in 1–65535")
            }
            port = number
        }
        host = location.map { $0.host.lowercased() } ?? ""
        guard !host.isEmpty else { throw DSNError("the host is empty", incomplete: true) }
        var urlPath = url.path
        // urlparse takes ";params" off the last segment of http and https URLs.
        if ["http", "https"].contains(fullScheme), let semicolon = urlPath.firstIndex(of: ";"),
           !urlPath[semicolon...].contains("/")
        {
            urlPath = urlPath[..<semicolon]
        }
        let slash = urlPath.lastIndex(of: "/")
        let project = slash.map { urlPath[urlPath.index(after: $0)...] } ?? urlPath
        guard !project.isEmpty else {
            throw DSNError("a DSN ends with the project id, as in https://key@sentry.example.com/42", incomplete: true)
        }
        projectID = String(project)
        path = slash.map { String(urlPath[..<$0].drop { $0 == "/" }.reversed().drop { $0 == "/" }.reversed()) } ?? ""
        options = Self.options(url.queryItems)
        maskedQuery = Self.maskedQuery(url)
    }

    /// raven's `dict(parse_qsl(query))`.
    private static func options(_ items: [(name: Substring, value: Substring)]) -> [String: String] {
        var options: [String: String] = [:]
        for item in items where !item.value.isEmpty {
            options[SplitURL.percentDecoded(item.name)] = SplitURL.percentDecoded(item.value)
        }
        return options
    }

    /// The query as written, with secret values masked.
    private static func maskedQuery(_ url: SplitURL) -> String? {
        guard let query = url.query else { return nil }
        let secrets = url.secretRanges.filter { $0.lowerBound >= query.startIndex }
        return SplitURL.replacing(secrets, in: query, with: RedactionPolicy.mask)
    }

    /// The DSN with its secret key and the values of secret options masked.
    public var description: String {
        let secret = secretKey == nil ? "" : ":" + RedactionPolicy.mask
        let hostText = host.contains(":") ? "[\(host)]" : host
        let portText = port.map { ":\($0)" } ?? ""
        let pathText = path.isEmpty ? "" : path + "/"
        let schemeText = transport.map { "\($0)+\(scheme)" } ?? scheme
        let queryText = maskedQuery.map { "?" + $0 } ?? ""
        return "\(schemeText)://\(publicKey)\(secret)@\(hostText)\(portText)/\(pathText)\(projectID)\(queryText)"
    }

    /// What `dump` and debuggers show: the secret key, secret options and the text masked.
    public var customMirror: Mirror {
        let shownOptions = options.reduce(into: [String: String]()) { shown, option in
            shown[option.key] = RedactionPolicy.redacted(option.value, key: option.key)
        }
        return Mirror(self, children: [
            "scheme": scheme, "transport": transport as Any, "publicKey": publicKey,
            "secretKey": secretKey.map { _ in RedactionPolicy.mask } as Any, "host": host, "port": port as Any,
            "path": path, "projectID": projectID, "options": shownOptions, "text": description,
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
