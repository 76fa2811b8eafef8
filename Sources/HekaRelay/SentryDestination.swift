import HekaRaven

/// Where and how one DSN's events are posted: the endpoint's URL and the `X-Sentry-Auth`
/// header built from the DSN's keys.
public struct SentryDestination: Sendable, Hashable {
    /// The DSN the events go to.
    public let dsn: SentryDSN

    /// The envelope endpoint: `…/api/PROJECT/envelope/`.
    public let envelopeURL: String
    /// The legacy store endpoint: `…/api/PROJECT/store/`.
    public let storeURL: String
    /// The DSN as the envelope's header names it: without the secret, which goes only in
    /// the auth header.
    public let publicDSN: String
    /// What rate limits are kept per: the project and its key.
    public let limitScope: String
    /// The auth header's keys: `sentry_key=KEY[, sentry_secret=SECRET]`.
    private let keys: String

    /// A destination for `dsn`, which must be an http or https DSN. Its URLs and header
    /// parts are made once, here.
    public init(_ dsn: SentryDSN) throws(RelayError) {
        guard dsn.scheme == "https" || dsn.scheme == "http" else {
            throw RelayError("the DSN's scheme is \(dsn.scheme); the relay posts over http or https")
        }
        self.dsn = dsn
        let port = dsn.port.map { ":\($0)" } ?? ""
        // `SCHEME://HOST[:PORT][/PATH]`.
        let base = "\(dsn.scheme)://\(dsn.host)\(port)\(dsn.path.isEmpty ? "" : "/\(dsn.path)")"
        envelopeURL = "\(base)/api/\(dsn.projectID)/envelope/"
        storeURL = "\(base)/api/\(dsn.projectID)/store/"
        publicDSN = "\(dsn.scheme)://\(dsn.publicKey)@\(dsn.host)\(port)/\(dsn.path.isEmpty ? "" : "\(dsn.path)/")\(dsn.projectID)"
        limitScope = "\(base)/\(dsn.projectID)#\(dsn.publicKey)"
        var keys = "sentry_key=\(dsn.publicKey)"
        if let secret = dsn.secretKey, !secret.isEmpty { keys += ", sentry_secret=\(secret)" }
        self.keys = keys
    }

    /// `Sentry sentry_version=7, sentry_client=CLIENT, sentry_key=KEY[, sentry_secret=SECRET]`.
    public func authHeader(client: String) -> String {
        "Sentry sentry_version=7, sentry_client=\(client), \(keys)"
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
