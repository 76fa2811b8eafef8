import HekaClient

/// What a crash adds to a raven event (``SentryEvent/crash``): the unhandled mechanism that
/// names the signal, the process's other threads and its images.
///
/// The crashed thread's stack is the event's own frames (its exception's stacktrace); the
/// `threads` interface lists it without a stack, as Sentry asks (`thread_id` ties the two),
/// and every other thread with its stack. The images go to `debug_meta`, so that Sentry
/// can match frames to debug files by build id.
struct CrashDetails: Sendable {
    /// One thread of the crashed process.
    struct Thread: Sendable {
        var id: Int
        var name: String?
        var crashed: Bool
        /// Oldest first; empty for the crashed thread, whose frames are the event's.
        var frames: [StackFrame]
    }

    /// One loaded image (the program or a library).
    struct Image: Sendable {
        var path: String
        var buildID: String
        var baseAddress: UInt64
        var endOfText: UInt64?
    }

    var signal: CrashSignal
    /// The backtracer's words for the signal (`Illegal instruction`).
    var signalDescription: String
    var threads: [Thread]
    var images: [Image]
    var architecture: String?
    /// The system, as the backtracer describes it (`Linux (Debian GNU/Linux 12 (bookworm))`).
    var platform: String?

    /// The id of the crashed thread.
    var crashedThreadID: Int? { threads.first(where: \.crashed)?.id }

    /// The modern exception's `mechanism` (unhandled, the signal in its `meta`) and
    /// `thread_id`.
    func writeMechanism(to exception: inout JSONObjectWriter) {
        exception.object("mechanism") { mechanism in
            mechanism.string("type", "signalhandler")
            mechanism.string("description", signalDescription)
            mechanism.bool("handled", false)
            mechanism.object("meta") { meta in
                meta.object("signal") { signal in
                    signal.integer("number", self.signal.number)
                    signal.string("name", self.signal.name)
                }
            }
        }
        if let crashedThreadID { exception.integer("thread_id", crashedThreadID) }
    }

    /// The `threads`, `debug_meta` and `contexts` (the operating system and the CPU)
    /// interfaces.
    func writeInterfaces(to event: inout JSONObjectWriter, limit: Limiter) {
        event.object("contexts") { contexts in
            if let platform {
                contexts.object("os") { os in
                    os.string("type", "os")
                    // `Linux (Debian GNU/Linux 12 (bookworm))`: the kernel's name, then the distribution.
                    os.string("name", platform.prefix { $0 != "(" }.trimmingWhitespace)
                    os.string("raw_description", limit.cut(platform))
                }
            }
            if let architecture {
                contexts.object("device") { device in
                    device.string("type", "device")
                    device.string("arch", architecture)
                }
            }
        }
        event.object("threads") { object in
            Self.objects("values", threads, in: &object) { thread, value in
                value.integer("id", thread.id)
                if let name = thread.name { value.string("name", limit.cut(name)) }
                value.bool("crashed", thread.crashed)
                value.bool("current", thread.crashed)
                if !thread.frames.isEmpty {
                    value.object("stacktrace") { stacktrace in
                        stacktrace.member("frames") { limit.writeFrames(thread.frames, to: &$0) }
                    }
                }
            }
        }
        guard !images.isEmpty else { return }
        event.object("debug_meta") { meta in
            Self.objects("images", images, in: &meta) { image, value in
                value.string("type", "elf")
                value.string("code_file", image.path)
                value.string("code_id", image.buildID)
                if let debugID = Self.debugID(buildID: image.buildID) { value.string("debug_id", debugID) }
                value.string("image_addr", "0x" + String(image.baseAddress, radix: 16))
                if let end = image.endOfText, end > image.baseAddress {
                    value.integer("image_size", Int(end - image.baseAddress))
                }
                if let architecture { value.string("arch", architecture) }
            }
        }
    }

    /// A member `key` whose value is an array of objects, one per item, written by `body`.
    private static func objects<Item>(_ key: String, _ items: [Item], in object: inout JSONObjectWriter,
                                      _ body: (Item, inout JSONObjectWriter) -> Void) {
        object.member(key) { out in
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                JSONObjectWriter.write(to: &out) { body(item, &$0) }
            }
            out.append(UInt8(ascii: "]"))
        }
    }

    /// Sentry's debug id for an ELF build id: its first 16 bytes (padded with zeros) read as
    /// a little-endian GUID, so the first three groups have their bytes reversed.
    static func debugID(buildID: String) -> String? {
        var bytes: [UInt8] = []
        var digits = buildID.utf8.makeIterator()
        while bytes.count < 16, let high = digits.next() {
            guard let low = digits.next(), let byte = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
            else { return nil }
            bytes.append(byte)
        }
        guard !bytes.isEmpty else { return nil }
        bytes += Array(repeating: 0, count: 16 - bytes.count)
        bytes[0..<4].reverse()
        bytes[4..<6].reverse()
        bytes[6..<8].reverse()
        let hex = hexString(bytes)
        let groups = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { range in
            hex.dropFirst(range.lowerBound).prefix(range.count)
        }
        return groups.joined(separator: "-")
    }
}
