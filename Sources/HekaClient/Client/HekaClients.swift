import Streams
import HekaPlatform

/// Clients by name, shared across a program: heka-py's client holder.
///
/// ```swift
/// // At start-up:
/// try HekaClients.shared.client(named: "shop", configuration: HekaConfiguration(iniFile: "heka.ini"))
/// // Anywhere later:
/// HekaClients.shared.client(named: "shop").info("basket saved")
/// HekaClients.shared.defaultClient?.incr("requests")
/// ```
///
/// The first client stored becomes the default. A name's client is its messages' default
/// logger, so a configuration given for a name must have that logger or none.
///
/// Clients are immutable: configuring a name again stores a new client, and code that kept
/// the old one keeps sending through the old one. Configure names at start-up, before
/// handing clients out. Every method is safe to call from any thread.
public final class HekaClients: Sendable {
    /// The program's holder.
    public static let shared = HekaClients()

    private struct State: Sendable {
        var clients: [String: HekaClient] = [:]
        var defaultName: String?
    }

    private let state = ForkSafeValue(State())

    /// An empty holder (``shared`` is the program's).
    public init() {}

    /// The client stored as `name`; if there is none, a new one with the default
    /// configuration (JSON lines on standard output) and `name` as its logger.
    public func client(named name: String) -> HekaClient {
        if let client = state.withLock({ $0.clients[name] }) { return client }
        // Made outside the lock: a new client registers with the fork handlers, which take
        // this lock before a fork.
        let made = HekaClient(stream: StdOutStream(), encoder: JSONLinesEncoder(), logger: name)
        return state.withLock { state in
            if let client = state.clients[name] { return client }
            Self.store(made, named: name, in: &state)
            return made
        }
    }

    /// Builds a client from `configuration` and stores it as `name`, replacing any client
    /// stored under it. A configuration without a logger gets `name`.
    /// - Throws: ``ConfigurationError/Code/invalidValue`` when the configuration's logger is
    ///   neither empty nor `name`; whatever ``HekaClient/init(configuration:errorHandler:)``
    ///   throws. The holder is unchanged when it throws.
    @discardableResult
    public func client(named name: String, configuration: HekaConfiguration,
                       errorHandler: ErrorHandler = .standardError()) throws(ConfigurationError) -> HekaClient {
        var configuration = configuration
        if configuration.logger.isEmpty {
            configuration.logger = name
        } else if configuration.logger != name {
            throw ConfigurationError(.invalidValue, "the logger \"\(configuration.logger)\" must match the client's "
                + "name \"\(name)\" or be left blank", section: configuration.section, key: "logger")
        }
        let client = try HekaClient(configuration: configuration, errorHandler: errorHandler)
        set(client, named: name)
        return client
    }

    /// Stores `client` as `name`, replacing any client stored under it.
    public func set(_ client: HekaClient, named name: String) {
        state.withLock { Self.store(client, named: name, in: &$0) }
    }

    /// Removes the client stored as `name` and returns it; if it was the default, there is
    /// no default until ``defaultName`` is set.
    @discardableResult
    public func remove(named name: String) -> HekaClient? {
        state.withLock { state in
            if state.defaultName == name { state.defaultName = nil }
            return state.clients.removeValue(forKey: name)
        }
    }

    /// The name of the default client: the first stored, unless set.
    public var defaultName: String? {
        get { state.withLock { $0.defaultName } }
        set { state.withLock { $0.defaultName = newValue } }
    }

    /// The default client, if it is stored.
    public var defaultClient: HekaClient? {
        state.withLock { state in state.defaultName.flatMap { state.clients[$0] } }
    }

    /// The stored names, sorted.
    public var names: [String] { state.withLock { $0.clients.keys.sorted() } }

    private static func store(_ client: HekaClient, named name: String, in state: inout State) {
        if state.clients.isEmpty && state.defaultName == nil { state.defaultName = name }
        state.clients[name] = client
    }
}
