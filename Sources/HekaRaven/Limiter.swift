import HekaClient

/// raven's string and list limits, applied as the event's JSON is written.
struct Limiter {
    let stringMaxLength: Int
    let listMaxLength: Int

    init(settings: RavenPlugin) {
        self.init(stringMaxLength: settings.stringMaxLength, listMaxLength: settings.listMaxLength)
    }

    init(stringMaxLength: Int, listMaxLength: Int) {
        self.stringMaxLength = stringMaxLength
        self.listMaxLength = listMaxLength
    }

    /// `text` cut to the limit, ending in `...` when cut.
    func cut(_ text: String) -> String {
        // A string has at least as many UTF-8 bytes as characters: most are short enough
        // by that count alone, without counting characters.
        guard text.utf8.count > stringMaxLength, text.count > stringMaxLength else { return text }
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

    /// `[{frame},…]`.
    func writeFrames(_ frames: [StackFrame], to out: inout [UInt8]) {
        out.append(UInt8(ascii: "["))
        for (index, frame) in frames.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            write(frame, to: &out)
        }
        out.append(UInt8(ascii: "]"))
    }

    /// One frame with Sentry's keys, written straight into bytes.
    func write(_ frame: StackFrame, to out: inout [UInt8]) {
        JSONObjectWriter.write(to: &out) { members in
            if let path = frame.absolutePath { members.string("abs_path", path) }
            if let name = frame.fileName { members.string("filename", name) }
            if let module = frame.module { members.string("module", module) }
            members.string("function", cut(frame.function))
            if let raw = frame.rawFunction { members.string("raw_function", cut(raw)) }
            if let line = frame.line { members.integer("lineno", line) }
            if let column = frame.column { members.integer("colno", column) }
            members.string("instruction_addr", "0x" + String(frame.instructionAddress, radix: 16))
            if let image = frame.image { members.string("package", image) }
            members.bool("in_app", frame.inApp)
            if !frame.optimizations.isEmpty {
                members.object("data") { data in
                    for name in frame.optimizations { data.bool(name, true) }
                }
            }
            if let line = frame.contextLine {
                members.strings("pre_context", frame.preContext.map(cut))
                members.string("context_line", cut(line))
                members.strings("post_context", frame.postContext.map(cut))
            }
        }
    }
}
