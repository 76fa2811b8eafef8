import Crypto
import Foundation
import HekaClient
import Runtime

extension CrashReport {
    /// The raven message and event for this report, read from the file `fileName` whose
    /// bytes are `bytes`, with the frames of the crashed thread as the event's stack.
    ///
    /// The event is fatal (level 50; the message's severity 2, critical), its exception
    /// is the signal (`SIGILL: Illegal instruction`, or the Swift runtime failure the stack
    /// names) with an unhandled mechanism, its time the crash's. Its id (and the message's
    /// uuid) is a name-based UUID of the report's bytes, so a report sent twice (a process
    /// that died between sending it and removing it) is one event to Sentry.
    func capture(sender: RavenSender, fileName: String, bytes: [UInt8]) -> (RavenSender.Capture, CapturedStack) {
        let settings = sender.settings
        let process = CrashReportName(fileName)
        let crashed = crashedThread.map { frames(of: $0, settings: settings, withContext: true) }
        let failure = runtimeFailure
        var extra: [String: EventValue] = ["crash_report": .string(fileName)]
        if let faultAddress { extra["fault_address"] = .string(faultAddress) }
        if let platform { extra["platform"] = .string(platform) }
        if let architecture { extra["architecture"] = .string(architecture) }
        if let backtraceTime { extra["backtrace_time"] = .double(backtraceTime) }
        let program = process.program ?? crashedThread?.name ?? "a Swift program"
        let text = "\(program)\(process.pid.map { " (pid \($0))" } ?? "") crashed: \(failure ?? description)"
        var capture = sender.prepare(text: text, error: nil, extra: extra, tags: ["signal": signal.name])
        capture.message.severity = .critical
        capture.message.uuid = Self.uuid(of: bytes)
        if let pid = process.pid { capture.message.pid = pid }
        if let nanoseconds {
            capture.message.timestamp = nanoseconds
            if let index = capture.message.fields.firstIndex(where: { $0.name == "epoch_timestamp" }) {
                capture.message.fields[index] = Field(name: "epoch_timestamp", value: FieldValue(Double(nanoseconds) / 1e9))
            }
            capture.event.timestamp = RavenSender.timestamp(nanoseconds)
        }
        capture.event.eventID = hexString(withUnsafeBytes(of: capture.message.uuid.uuid) { Array($0) })
        capture.event.level = SentryEvent.level(for: .critical)
        capture.event.errorType = signal.name
        capture.event.errorValue = failure ?? description
        capture.event.crash = details(settings: settings)
        let stack = CapturedStack(frames: crashed?.frames ?? [], omitted: crashed?.omitted ?? 0,
                                  limit: Limiter(settings: settings))
        return (capture, stack)
    }

    /// The signal, the threads (the crashed one first, without frames: they are the
    /// event's; each thread's id is its place in the report) and the images with a build id.
    private func details(settings: RavenPlugin) -> CrashDetails {
        let numbered = Array(self.threads.enumerated())
        let crashedFirst = numbered.filter { $0.element.crashed == true } + numbered.filter { $0.element.crashed != true }
        let threads = crashedFirst.map { id, thread in
            let crashed = thread.crashed == true
            return CrashDetails.Thread(
                id: id, name: thread.name, crashed: crashed,
                frames: crashed ? [] : frames(of: thread, settings: settings, withContext: false).frames)
        }
        let images = (self.images ?? []).compactMap { image -> CrashDetails.Image? in
            guard let path = image.path, let buildID = image.buildId, let base = image.baseAddress.flatMap(Self.address)
            else { return nil }
            return CrashDetails.Image(path: path, buildID: buildID, baseAddress: base,
                                      endOfText: image.endOfText.flatMap(Self.address))
        }
        return CrashDetails(signal: signal, signalDescription: description, threads: threads, images: images,
                            architecture: architecture, platform: platform)
    }

    /// The text of a `Swift runtime failure: …` frame, which the compiler places where a
    /// check in the program's own code trapped (an overflow, say).
    var runtimeFailure: String? {
        crashedThread?.frames.first { $0.runtimeFailure == true }.flatMap { $0.symbol ?? $0.description }
    }

    /// A thread's frames as raven's events carry them: oldest first, without the runtime's
    /// noise (thunks, the C library's thread and process starts, the Concurrency runtime);
    /// with source lines around each line when `withContext`. Also how many frames the
    /// backtracer left out.
    func frames(of thread: Thread, settings: RavenPlugin, withContext: Bool) -> (frames: [StackFrame], omitted: Int) {
        var frames: [StackFrame] = []
        var omitted = 0
        for frame in thread.frames {
            guard let address = frame.address.flatMap(Self.address) else {
                omitted += frame.count ?? 0
                continue
            }
            guard let raw = frame.symbol else {
                frames.append(StackFrame(function: "<unknown>", instructionAddress: address, image: frame.image,
                                         inApp: false))
                continue
            }
            let symbol = SymbolicatedBacktrace.Symbol(imageIndex: -1, imageName: frame.image ?? "", rawName: raw,
                                                      offset: 0, sourceLocation: nil)
            let system = frame.system == true || symbol.isSystemFunction
            if symbol.isSwiftThunk || (system && frame.runtimeFailure != true)
                || (frame.image ?? "").hasPrefix("libswift_Concurrency") {
                continue
            }
            let name = frame.description.map { Self.function(fromDescription: $0) } ?? symbol.name
            frames.append(StackFrame(
                symbol: name, raw: raw, image: frame.image, address: address,
                location: frame.sourceLocation.map { ($0.file, $0.line, $0.column) }, system: system,
                settings: settings, withContext: withContext))
        }
        return (frames.reversed(), omitted)
    }

    /// `inner(_:_:)` of `inner(_:_:) + 47`.
    static func function(fromDescription description: String) -> String {
        guard let plus = description.range(of: " + ", options: .backwards),
              description[plus.upperBound...].allSatisfy(\.isNumber)
        else { return description }
        return String(description[..<plus.lowerBound])
    }

    /// `0x00007f6dc0f6df7f` as a number.
    static func address(_ text: String) -> UInt64? {
        UInt64(text.hasPrefix("0x") ? text.dropFirst(2) : text[...], radix: 16)
    }

    /// A name-based (version 3) UUID of `bytes`: their MD5 with the version and variant set.
    static func uuid(of bytes: [UInt8]) -> UUID {
        var digest = Array(Insecure.MD5.hash(data: bytes))
        digest[6] = (digest[6] & 0x0F) | 0x30
        digest[8] = (digest[8] & 0x3F) | 0x80
        return UUID(uuid: (digest[0], digest[1], digest[2], digest[3], digest[4], digest[5], digest[6], digest[7],
                           digest[8], digest[9], digest[10], digest[11], digest[12], digest[13], digest[14], digest[15]))
    }
}

/// The program and process id in a report's file name, `NAME-PID-SECONDS.NANOSECONDS.json`
/// (with `-N` before `.json` when the name was taken).
struct CrashReportName {
    var program: String?
    var pid: Int32?

    init(_ fileName: String) {
        var parts = fileName.split(separator: "-", omittingEmptySubsequences: false)
        guard fileName.hasSuffix(".json"), parts.count >= 3 else { return }
        if let last = parts.last, !last.dropLast(5).contains("."), parts.count >= 4 { parts.removeLast() }
        parts.removeLast()  // the time
        guard let pid = parts.last.flatMap({ Int32($0) }) else { return }
        parts.removeLast()
        self.pid = pid
        program = parts.joined(separator: "-")
    }
}
