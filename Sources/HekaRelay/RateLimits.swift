import HekaPlatform

/// Sentry's rate limits, per destination and category: what a 429 (or any answer with an
/// `X-Sentry-Rate-Limits` header) says must not be sent until when.
public struct RateLimits: Sendable {
    /// The category of error events.
    public static let errorCategory = "error"
    /// How long to wait after a 429 that says nothing more.
    public static let defaultWait: Duration = .seconds(60)

    /// Until when each category (`""`: all) of each destination is limited.
    private var until: [String: [String: MonotonicInstant]] = [:]

    /// No limits.
    public init() {}

    /// One limit read from a header.
    public struct Limit: Sendable, Equatable {
        /// How long it lasts.
        public var duration: Duration
        /// The categories it covers; empty covers all.
        public var categories: [String]

        /// A limit of `duration` on `categories`.
        public init(duration: Duration, categories: [String]) {
            self.duration = duration
            self.categories = categories
        }
    }

    /// The limits of an `X-Sentry-Rate-Limits` header: `RETRY_AFTER:CATEGORIES:SCOPE[:…]`
    /// entries separated by commas, categories by semicolons. Malformed entries are skipped.
    public static func parse(rateLimits header: String) -> [Limit] {
        header.split(separator: ",").compactMap { entry in
            let parts = entry.trimmingBlanks.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count >= 2, let seconds = Double(parts[0].trimmingBlanks), seconds >= 0,
                seconds.isFinite
            else { return nil }
            let categories = parts[1].split(separator: ";").map { String($0) }.filter { !$0.isEmpty }
            return Limit(duration: .milliseconds(Int64(min(seconds, 86_400) * 1000)), categories: categories)
        }
    }

    /// A `Retry-After` header's seconds (the HTTP-date form is not used by Sentry; it reads
    /// as the default wait).
    public static func parse(retryAfter header: String) -> Duration? {
        guard let seconds = Double(header.trimmingBlanks), seconds >= 0, seconds.isFinite else { return nil }
        return .milliseconds(Int64(min(seconds, 86_400) * 1000))
    }

    /// Records what an answer said for `destination`: the rate-limits header if there is
    /// one, else for a 429 `Retry-After` (or the default wait) on every category.
    public mutating func record(destination: String, status: Int, rateLimits: String?, retryAfter: String?,
                                now: MonotonicInstant = .now()) {
        if let rateLimits, !rateLimits.isEmpty {
            for limit in Self.parse(rateLimits: rateLimits) {
                for category in limit.categories.isEmpty ? [""] : limit.categories {
                    extend(destination, category, to: now.advanced(by: limit.duration))
                }
            }
        } else if status == 429 {
            let wait = retryAfter.flatMap(Self.parse(retryAfter:)) ?? Self.defaultWait
            extend(destination, "", to: now.advanced(by: wait))
        }
    }

    private mutating func extend(_ destination: String, _ category: String, to instant: MonotonicInstant) {
        let current = until[destination]?[category]
        if current.map({ $0 < instant }) ?? true { until[destination, default: [:]][category] = instant }
    }

    /// Until when `category` of `destination` is limited; `nil` when it may be sent now.
    public func limitedUntil(destination: String, category: String = errorCategory,
                             now: MonotonicInstant = .now()) -> MonotonicInstant? {
        limitedUntil(destination: destination, categories: [category], now: now)
    }

    /// Until when any of `categories` of `destination` is limited; `nil` when none is.
    public func limitedUntil(destination: String, categories: [String], now: MonotonicInstant = .now()) -> MonotonicInstant? {
        guard let limits = until[destination] else { return nil }
        let latest = ([limits[""]] + categories.map { limits[$0] }).compactMap { $0 }.max()
        return latest.flatMap { $0 > now ? $0 : nil }
    }

    /// Forgets the limits that ended before `now`.
    public mutating func forget(before now: MonotonicInstant) {
        until = until.compactMapValues { limits in
            let left = limits.filter { $0.value > now }
            return left.isEmpty ? nil : left
        }
    }
}

extension StringProtocol {
    /// The text without spaces and tabs at either end.
    var trimmingBlanks: Substring {
        var text = self[...]
        while let first = text.first, first == " " || first == "\t" { text.removeFirst() }
        while let last = text.last, last == " " || last == "\t" { text.removeLast() }
        return Substring(text)
    }
}
