import HekaPlatform

/// The frames of one symbolicated stack, and their JSON as an untrimmed event carries it.
///
/// Every capture from the same call path shares one: the frames are symbolicated and their
/// JSON written once, and each event copies it. The event's stack section (both
/// stacktraces, most of its bytes) is compressed once too, by the first event that has it
/// (``section``), and later events splice the compressed bytes into their payloads.
final class CapturedStack: Sendable {
    /// Oldest first.
    let frames: [StackFrame]
    /// Frames left out of the middle of a very deep stack.
    let omitted: Int
    /// The frames as a JSON array, cut to the string limit it was made with.
    let framesJSON: [UInt8]
    /// The string limit of ``framesJSON``.
    let stringMaxLength: Int
    /// The frames' part of the event's grouping checksum (``SentryEvent/checksum``), the
    /// event's culprit and its modules.
    let checksumInput: [UInt8]
    let culprit: String?
    let modules: [String]
    private let compressedSection = LockedValue<SentryPayload.Segment?>(nil)

    /// The compressed stack section, made from `json` the first time. A caller checks that
    /// its own section is the same bytes before reusing it.
    func section(compressing json: ArraySlice<UInt8>) -> SentryPayload.Segment {
        if let known = compressedSection.withLock({ $0 }) { return known }
        let segment = SentryPayload.Segment(Array(json))
        compressedSection.withLock { if $0 == nil { $0 = segment } }
        return segment
    }

    init(frames: [StackFrame], omitted: Int, limit: Limiter) {
        self.frames = frames
        self.omitted = omitted
        var json: [UInt8] = []
        limit.writeFrames(frames, to: &json)
        framesJSON = json
        stringMaxLength = limit.stringMaxLength
        checksumInput = SentryEvent.checksumInput(frames)
        culprit = SentryEvent.culprit(frames)
        modules = SentryEvent.modules(frames)
    }

    /// Makes the compressed section's lock new in a forked child, where the thread that held
    /// it may not have come along (see ``FrameCache``).
    func resumeInChild() {
        compressedSection.reinitializeAfterFork()
    }

    /// A stack that could not be captured.
    static let empty = CapturedStack(frames: [], omitted: 0, limit: Limiter(stringMaxLength: 0, listMaxLength: 0))
}
