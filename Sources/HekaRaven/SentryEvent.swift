import Crypto
import HekaClient

/// A Sentry event in both of the forms that readers of heka-py-raven's payloads know: the
/// raven 3.x keys (`sentry.interfaces.Exception`, `sentry.interfaces.Stacktrace`,
/// `checksum`, …) that old Sentry servers and hekad's SentryOutput consumers read, and the
/// `exception.values[]` form of today's Sentry.
struct SentryEvent {
    /// 32 lowercase hex digits.
    var eventID: String
    /// What the caller said (`client.raven("…")`), kept in `extra.msg`.
    var text: String
    /// The error's type name, module and description; without an error the text stands in.
    var errorType: String?
    var errorModule: String?
    var errorValue: String?
    /// Sentry's level: 10 debug, 20 info, 30 warning, 40 error, 50 fatal.
    var level: Int
    /// `YYYY-MM-DDTHH:MM:SSZ`.
    var timestamp: String
    var serverName: String
    var logger: String
    /// Oldest first.
    var frames: [StackFrame]
    /// Frames left out of the middle: how many, after which index.
    var omitted: (after: Int, count: Int)?
    var extra: [(key: String, value: EventValue)]
    var tags: [(key: String, value: String)]
    /// What was cut to fit the size budget, said in `extra.heka_trimmed`.
    var trimmed: [String] = []

    /// Sentry's level for a syslog severity.
    static func level(for severity: Severity) -> Int {
        switch severity.rawValue {
        case ...2: 50
        case 3: 40
        case 4: 30
        case 5, 6: 20
        default: 10
        }
    }

    /// `Type: value` for an error, the text otherwise.
    var message: String {
        guard let errorType else { return text }
        return "\(errorType): \(errorValue ?? "")"
    }

    /// The innermost in-app frame (else the innermost), as `module in function`.
    var culprit: String? {
        guard let frame = frames.last(where: \.inApp) ?? frames.last else { return nil }
        return frame.module.map { "\($0) in \(frame.function)" } ?? frame.function
    }

    /// raven's grouping checksum: MD5 of the error type, then each frame's module and
    /// context line (or function).
    var checksum: String {
        var input = errorType ?? "Message"
        for frame in frames { input += (frame.module ?? "") + (frame.contextLine ?? frame.function) }
        return hexString(Insecure.MD5.hash(data: Array(input.utf8)))
    }

    /// The event's JSON, with `settings`' sanitising and string and list limits applied.
    func json(settings: RavenPlugin, dsn: SentryDSN?) -> JSONValue {
        let limit = Limiter(settings: settings)
        let sanitized = { (key: String?, value: EventValue) -> EventValue in
            settings.sanitize ? Sanitizer.sanitize(value, key: key) : value
        }
        var extraMembers: [(String, JSONValue)] = [("msg", limit.json(sanitized("msg", .string(text))))]
        for (key, value) in extra where key != "msg" { extraMembers.append((key, limit.json(sanitized(key, value)))) }
        if !trimmed.isEmpty { extraMembers.append(("heka_trimmed", .array(trimmed.map { .string($0) }))) }
        let tagMembers = tags.map { (key, value) -> (String, JSONValue) in
            (key, limit.json(sanitized(key, .string(value))))
        }
        let stacktrace = JSONValue.object(
            [("frames", .array(frames.map { limit.json($0) }))]
                + (omitted.map { [("frames_omitted", .array([.integer($0.after), .integer($0.after + $0.count)]))] } ?? []))
        let exceptionMembers: [(String, JSONValue)] = [
            ("type", .string(limit.cut(errorType ?? "Message"))),
            ("value", limit.json(sanitized(nil, .string(errorValue ?? text)))),
        ] + (errorModule.map { [("module", .string($0))] } ?? [])
        var members: [(String, JSONValue)] = [
            ("event_id", .string(eventID)),
            ("message", limit.json(sanitized(nil, .string(message)))),
        ]
        if let culprit { members.append(("culprit", .string(limit.cut(culprit)))) }
        members += [
            ("checksum", .string(checksum)),
            ("level", .integer(level)),
            ("timestamp", .string(timestamp)),
            ("server_name", .string(serverName)),
            ("logger", .string(logger)),
        ]
        if let project = dsn?.projectID { members.append(("project", .string(project))) }
        members += [
            ("platform", .string("other")),
            ("sdk", .object([("name", .string("heka-swift")), ("version", .string(RavenPlugin.sdkVersion))])),
            ("modules", .object(Set(frames.compactMap(\.module)).sorted().map { ($0, .string("")) })),
            ("tags", .object(tagMembers)),
            ("extra", .object(extraMembers)),
        ]
        if let release = settings.release { members.append(("release", .string(release))) }
        if let environment = settings.environment { members.append(("environment", .string(environment))) }
        members += [
            ("sentry.interfaces.Exception", .object(exceptionMembers)),
            ("sentry.interfaces.Stacktrace", stacktrace),
            ("exception", .object([("values", .array([.object(exceptionMembers + [
                ("stacktrace", stacktrace),
                ("mechanism", .object([("type", .string("generic")), ("handled", .bool(true))])),
            ])]))])),
        ]
        return .object(members)
    }
}

/// raven's string and list limits.
struct Limiter {
    let stringMaxLength: Int
    let listMaxLength: Int

    init(settings: RavenPlugin) {
        stringMaxLength = settings.stringMaxLength
        listMaxLength = settings.listMaxLength
    }

    /// `text` cut to the limit, ending in `...` when cut.
    func cut(_ text: String) -> String {
        guard text.count > stringMaxLength else { return text }
        return String(text.prefix(stringMaxLength - 3)) + "..."
    }

    func json(_ value: EventValue) -> JSONValue {
        switch value {
        case .string(let text): .string(cut(text))
        case .list(let items): .array(items.prefix(listMaxLength).map(json))
        case .table(let entries): .object(entries.prefix(listMaxLength).map { ($0.key, json($0.value)) })
        default: value.json
        }
    }

    func json(_ frame: StackFrame) -> JSONValue {
        var members: [(String, JSONValue)] = []
        if let path = frame.absolutePath { members.append(("abs_path", .string(path))) }
        if let name = frame.fileName { members.append(("filename", .string(name))) }
        if let module = frame.module { members.append(("module", .string(module))) }
        members.append(("function", .string(cut(frame.function))))
        if let raw = frame.rawFunction { members.append(("raw_function", .string(cut(raw)))) }
        if let line = frame.line { members.append(("lineno", .integer(line))) }
        if let column = frame.column { members.append(("colno", .integer(column))) }
        members.append(("instruction_addr", .string("0x" + String(frame.instructionAddress, radix: 16))))
        if let image = frame.image { members.append(("package", .string(image))) }
        members.append(("in_app", .bool(frame.inApp)))
        if let line = frame.contextLine {
            members.append(("pre_context", .array(frame.preContext.map { .string(cut($0)) })))
            members.append(("context_line", .string(cut(line))))
            members.append(("post_context", .array(frame.postContext.map { .string(cut($0)) })))
        }
        return .object(members)
    }
}
