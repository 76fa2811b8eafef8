import HekaClient
import HekaInputs
import HekaPlatform
import HekaRaven

/// What `heka cat` does with each message and problem: count, select, unpack, print or
/// group; and the summary at the end.
final class CatSession {
    enum Format: String, CaseIterable {
        case json, text, count
    }

    struct Settings {
        var format = Format.text
        var matcher: MessageMatcher?
        var unpack = false
        var groupBy: [GroupCounter.Key] = []
        var limit: Int?
        var quiet = false
    }

    let settings: Settings
    private(set) var messages = 0
    private(set) var matched = 0
    private(set) var verified = 0
    private(set) var problems = 0
    /// Datagrams the kernel dropped before they were read (UDP only).
    var kernelDrops: Int?
    private var groups: GroupCounter?
    private var output: [UInt8] = []
    /// The `errno` of the write that failed, once standard output could not be written:
    /// nothing more is written or read, and the failure counts as a problem.
    private(set) var outputFailure: Int32?

    init(_ settings: Settings) {
        self.settings = settings
        groups = settings.groupBy.isEmpty ? nil : GroupCounter(keys: settings.groupBy)
    }

    /// Whether the limit of messages has been reached, or the output cannot be written.
    var isDone: Bool { outputFailure != nil || settings.limit.map { matched >= $0 } ?? false }

    /// Handles one event; false once the limit is reached.
    func handle(_ event: CatEvent) -> Bool {
        switch event {
        case .problem(let text):
            problems += 1
            if !settings.quiet {
                flush()
                printError("heka cat: \(text)")
            }
        case .message(let received, let wasVerified):
            guard !isDone else { return false }
            messages += 1
            if wasVerified { verified += 1 }
            guard settings.matcher?.matches(received) ?? true else { return true }
            let message = SecretMasking.masked(received)
            matched += 1
            let needsEvent = settings.unpack || settings.groupBy.contains(where: \.needsEvent)
            let event = needsEvent ? unpackedEvent(of: message) : nil
            if groups != nil {
                groups?.add(message, event: event)
            } else {
                write(message, event: event)
            }
        }
        if output.count >= 1 << 16 { flush() }
        return !isDone
    }

    /// The event packed in the payload of a stack trace (of any message with `--unpack`). A
    /// stack trace whose payload does not unpack (not base64, not zlib, a bomb over the limit,
    /// not a JSON object) is printed as it came and counted as a problem, with the reason.
    private func unpackedEvent(of message: Message) -> UnpackedEvent? {
        let isStackTrace = UnpackedEvent.packedTypes.contains(message.type)
        guard settings.unpack || isStackTrace else { return nil }
        do {
            return try UnpackedEvent(unpacking: message.payload)
        } catch {
            if isStackTrace {
                _ = handle(.problem("a \(message.type) message's payload cannot be unpacked (\(error.kind.rawValue)): \(error.description)"))
            }
            return nil
        }
    }

    private func write(_ message: Message, event: UnpackedEvent?) {
        switch settings.format {
        case .count: break
        case .text:
            let packed = event == nil && message.payload.hasPrefix("e") && UnpackedEvent(message) != nil
            output += MessageText.render(message, event: event, packed: packed).utf8
        case .json:
            // The line as the encoder writes it; a tree only to put the event in (or for a
            // field name the encoder refuses, such as an empty one read from the wire).
            if event == nil, let line = try? JSONLinesEncoder().encode(message) {
                output += line
                return
            }
            guard case .object(var members) = message.jsonValue else { return }
            if let event, let index = members.firstIndex(where: { $0.0 == "payload" }) {
                members[index] = ("event", event.json)
            }
            JSONValue.object(members).write(to: &output)
            output.append(0x0A)
        }
    }

    /// Writes what is buffered to standard output. A failed write is a problem; a reader
    /// that has gone (`heka cat … | head`) ends the session quietly, as Unix filters end.
    func flush() {
        defer { output.removeAll(keepingCapacity: true) }
        guard outputFailure == nil, let code = writeAll(fd: 1, output) else { return }
        outputFailure = code
        problems += 1
        if !isBrokenPipe(code) && !settings.quiet {
            printError("heka cat: cannot write to standard output: \(systemErrorMessage(code))")
        }
    }

    /// Prints the groups or the count, then the summary on standard error.
    func finish() {
        if let groups {
            switch settings.format {
            case .json: output += groups.jsonLines
            default: output += groups.table.utf8
            }
        } else if settings.format == .count {
            output += "\(matched)\n".utf8
        }
        flush()
        guard !settings.quiet, !isBrokenPipe(outputFailure) else { return }
        var parts = ["\(messages) message\(messages == 1 ? "" : "s")"]
        if settings.matcher != nil { parts.append("\(matched) matched") }
        if verified > 0 { parts.append("\(verified) verified") }
        parts.append("\(problems) problem\(problems == 1 ? "" : "s")")
        if let kernelDrops {
            parts.append("\(kernelDrops) datagram\(kernelDrops == 1 ? "" : "s") dropped by the kernel before reading")
        }
        printError("heka cat: " + parts.joined(separator: ", "))
    }
}
