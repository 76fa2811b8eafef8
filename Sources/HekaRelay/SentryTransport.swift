import AsyncHTTPClient
import HekaClient
import HekaPlatform
import HekaRaven
import NIOCore
import NIOHTTP1

/// Posts events to Sentry over HTTP(S) and says what the answer means for them.
public final class SentryTransport: Sendable {
    /// How requests are made.
    public struct Settings: Sendable {
        /// Post to the legacy `/store/` endpoint (the event's JSON as the body) instead of
        /// the envelope endpoint.
        public var useStoreEndpoint = false
        /// Compress bodies with gzip (`Content-Encoding: gzip`).
        public var compress = true
        /// The most a request may take, from connecting to the answer's last byte.
        public var timeout: Duration = .seconds(30)
        /// The `sentry_client` of the auth header and the `User-Agent`.
        public var client = "heka-swift"

        /// The defaults: envelopes, gzip, 30 seconds.
        public init() {}
    }

    /// What Sentry's answer means for the event.
    public enum Outcome: Sendable, Equatable {
        /// 2xx: Sentry has it.
        case accepted
        /// 429: wait as the answer says, then send it again.
        case rateLimited
        /// 5xx, 408, a timeout, a refused or broken connection: send it again later.
        case retry(String)
        /// Another 4xx: Sentry will never take it; its answer. (A 3xx is sent again: the
        /// relay follows no redirect, and an event is never dropped for one.)
        case rejected(status: Int, answer: String)
        /// The spool's copy does not read back (a damaged file): it can never be sent.
        case unreadable(String)
    }

    /// An answer: the outcome and the rate-limit headers it carried.
    public struct Answer: Sendable {
        /// What it means for the event.
        public var outcome: Outcome
        /// The HTTP status (0 when there was no answer).
        public var status: Int
        /// The `X-Sentry-Rate-Limits` header.
        public var rateLimits: String?
        /// The `Retry-After` header.
        public var retryAfter: String?
    }

    private let http: HTTPClient
    private let isShutDown = LockedValue(false)
    /// How requests are made.
    public let settings: Settings

    /// A transport with its own HTTP client; ``shutdown()`` it when done.
    public init(settings: Settings) {
        self.settings = settings
        let timeout = TimeAmount.nanoseconds(settings.timeout.clampedNanoseconds)
        var configuration = HTTPClient.Configuration(timeout: .init(connect: timeout, read: timeout))
        configuration.redirectConfiguration = .disallow
        http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }

    /// Closes the HTTP client's connections. (A transport released without it closes them
    /// in the background.)
    public func shutdown() async {
        guard isShutDown.withLock({ flag in defer { flag = true }; return !flag }) else { return }
        try? await http.shutdown()
    }

    deinit {
        if isShutDown.withLock({ !$0 }) { http.shutdown().whenComplete { _ in } }
    }

    /// The body and headers of the request for `event`. A gzip body is made around the
    /// event's compressed form as it is (``PackedEvent/gzip(after:)``).
    public func request(for event: PackedEvent, to destination: SentryDestination,
                        sentAt: String) throws(RelayError) -> (url: String, headers: [(String, String)], body: [UInt8]) {
        var headers: [(String, String)] = [
            ("X-Sentry-Auth", destination.authHeader(client: settings.client)),
            ("User-Agent", settings.client),
        ]
        // What goes before the event's JSON: nothing for the store endpoint, else the
        // envelope's header and the item's.
        let url: String
        let prefix: [UInt8]
        if settings.useStoreEndpoint {
            url = destination.storeURL
            prefix = []
            headers.append(("Content-Type", "application/json"))
        } else {
            url = destination.envelopeURL
            prefix = Envelope.head(eventID: event.eventID, dsn: destination.publicDSN, sentAt: sentAt, length: event.length - 1)
            headers.append(("Content-Type", "application/x-sentry-envelope"))
        }
        let body: [UInt8]
        if settings.compress {
            body = event.gzip(after: prefix)
            headers.append(("Content-Encoding", "gzip"))
        } else {
            let text = try event.text()
            body = prefix + (settings.useStoreEndpoint ? text.dropLast() : text[...])
        }
        return (url, headers, body)
    }

    /// Posts `event` to `destination` and reads the answer.
    public func send(_ event: PackedEvent, to destination: SentryDestination) async -> Answer {
        let sentAt = RFC3339.format(nanoseconds: ProcessServices.wallClockNanoseconds(), precision: .milliseconds)
        let (url, headers, body): (String, [(String, String)], [UInt8])
        do {
            (url, headers, body) = try request(for: event, to: destination, sentAt: sentAt)
        } catch {
            return Answer(outcome: .unreadable("\(error)"), status: 0)
        }
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let response = try await http.execute(request, timeout: .nanoseconds(settings.timeout.clampedNanoseconds))
            let status = Int(response.status.code)
            // The status decides; the answer's text is read as far as it goes (an answer
            // too long or cut short does not turn an accepted event into one to resend).
            let answer = try? await response.body.collect(upTo: 64 << 10)
            let text = answer.map { String(decoding: $0.readableBytesView.prefix(500), as: UTF8.self) } ?? ""
            let outcome: Outcome = switch status {
            case 200..<300: .accepted
            case 429: .rateLimited
            case 408, 500...: .retry("HTTP \(status)")
            case 400..<500: .rejected(status: status, answer: text)
            case 300..<400: .retry("HTTP \(status), a redirect (not followed: check the DSN)")
            default: .retry("HTTP \(status)")
            }
            return Answer(outcome: outcome, status: status, rateLimits: response.headers.first(name: "X-Sentry-Rate-Limits"),
                          retryAfter: response.headers.first(name: "Retry-After"))
        } catch {
            return Answer(outcome: .retry("\(error)"), status: 0)
        }
    }
}
