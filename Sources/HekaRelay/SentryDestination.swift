import HekaRaven

/// Where and how one DSN's events are posted: the endpoint's URL and the `X-Sentry-Auth`
/// header built from the DSN's keys.
public struct SentryDestination: Sendable, Hashable {
    /// The DSN the events go to.
    public let dsn: SentryDSN

    /// A destination for `dsn`, which must be an http or https DSN.
    public init(_ dsn: SentryDSN) throws(RelayError) {
        guard dsn.scheme == "https" || dsn.scheme == "http" else {
            throw RelayError("the DSN's scheme is \(dsn.scheme); the relay posts over http or https")
        }
        self.dsn = dsn
    }

    /// `SCHEME://HOST[:PORT][/PATH]`.
    private var base: String {
        let port = dsn.port.map { ":\($0)" } ?? ""
        let path = dsn.path.isEmpty ? "" : "/\(dsn.path)"
        return "\(dsn.scheme)://\(dsn.host)\(port)\(path)"
    }

    /// The envelope endpoint: `…/api/PROJECT/envelope/`.
    public var envelopeURL: String { "\(base)/api/\(dsn.projectID)/envelope/" }
    /// The legacy store endpoint: `…/api/PROJECT/store/`.
    public var storeURL: String { "\(base)/api/\(dsn.projectID)/store/" }

    /// The DSN as the envelope's header names it: without the secret, which goes only in
    /// the auth header.
    public var publicDSN: String {
        let port = dsn.port.map { ":\($0)" } ?? ""
        let path = dsn.path.isEmpty ? "" : "\(dsn.path)/"
        return "\(dsn.scheme)://\(dsn.publicKey)@\(dsn.host)\(port)/\(path)\(dsn.projectID)"
    }

    /// What rate limits are kept per: the project and its key.
    public var limitScope: String { "\(base)/\(dsn.projectID)#\(dsn.publicKey)" }

    /// `Sentry sentry_version=7, sentry_client=CLIENT, sentry_key=KEY[, sentry_secret=SECRET]`.
    public func authHeader(client: String) -> String {
        var header = "Sentry sentry_version=7, sentry_client=\(client), sentry_key=\(dsn.publicKey)"
        if let secret = dsn.secretKey, !secret.isEmpty { header += ", sentry_secret=\(secret)" }
        return header
    }
}

/// A relay error that says what and where.
public struct RelayError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public var description: String

    /// An error saying `description`.
    public init(_ description: String) {
        self.description = description
    }
}
