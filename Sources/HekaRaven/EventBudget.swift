/// The steps that shrink an event whose record does not fit the stream, mildest first:
/// a crash's other threads' stacks, then context lines of middle frames, then middle
/// frames, then long strings. Each step is
/// said in the event's `extra.heka_trimmed`, so a trimmed event is never mistaken for a
/// whole one; the event itself is always sent.
struct EventBudget {
    /// The settings the event is written with; later steps lower their limits.
    private(set) var settings: RavenPlugin
    private var step = 0

    init(settings: RavenPlugin) { self.settings = settings }

    /// Applies the next step that changes something; `false` when none is left.
    mutating func trim(_ event: inout SentryEvent) -> Bool {
        while step < 8 {
            step += 1
            if let note = apply(step, to: &event) {
                event.trimmed.append(note)
                event.stack = nil  // its JSON and checksum describe the frames before this step
                return true
            }
        }
        return false
    }

    private mutating func apply(_ step: Int, to event: inout SentryEvent) -> String? {
        switch step {
        case 1: return dropThreadStacks(&event)
        case 2: return dropContext(&event, keepingFirst: 1, last: 3, "context lines of middle frames removed")
        case 3: return dropContext(&event, keepingFirst: 0, last: 1, "context lines removed but the last frame's")
        case 4: return dropFrames(&event, keepingFirst: 2, last: 8)
        case 5: return dropFrames(&event, keepingFirst: 1, last: 3)
        case 6: return limit(&event, strings: 100, lists: 10)
        case 7: return limit(&event, strings: 32, lists: 3)
        default:
            guard !event.extra.isEmpty || !(event.frames.last?.preContext.isEmpty ?? true) else { return nil }
            event.extra.removeAll()
            if let last = event.frames.indices.last {
                event.frames[last].preContext = []
                event.frames[last].postContext = []
            }
            return "extra values and the last frame's surrounding lines removed"
        }
    }

    /// A crash's threads other than the crashed one keep their names, not their stacks.
    private func dropThreadStacks(_ event: inout SentryEvent) -> String? {
        guard var crash = event.crash, crash.threads.contains(where: { !$0.frames.isEmpty }) else { return nil }
        for index in crash.threads.indices { crash.threads[index].frames = [] }
        event.crash = crash
        return "the other threads' stacks removed"
    }

    private func dropContext(_ event: inout SentryEvent, keepingFirst first: Int, last: Int, _ note: String) -> String? {
        guard event.frames.count > first + last else { return nil }
        var changed = false
        for index in first..<(event.frames.count - last) where event.frames[index].contextLine != nil {
            event.frames[index].preContext = []
            event.frames[index].contextLine = nil
            event.frames[index].postContext = []
            changed = true
        }
        return changed ? note : nil
    }

    private func dropFrames(_ event: inout SentryEvent, keepingFirst first: Int, last: Int) -> String? {
        let count = event.frames.count
        guard count > first + last else { return nil }
        let removed = count - first - last
        event.frames.removeSubrange(first..<(count - last))
        let earlier = event.omitted?.count ?? 0
        event.omitted = (after: first, count: removed + earlier)
        return "\(removed) middle frames removed"
    }

    private mutating func limit(_ event: inout SentryEvent, strings: Int, lists: Int) -> String? {
        guard settings.stringMaxLength > strings || settings.listMaxLength > lists else { return nil }
        settings.stringMaxLength = min(settings.stringMaxLength, strings)
        settings.listMaxLength = min(settings.listMaxLength, lists)
        return "strings cut to \(settings.stringMaxLength) characters, lists to \(settings.listMaxLength) items"
    }
}
