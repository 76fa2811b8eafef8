import Runtime
import HekaPlatform

/// Captures the calling thread's stack with Swift's `Runtime` module and turns it into
/// ``StackFrame``s: oldest first, the capturing call last, this library's own frames left
/// out.
///
/// Walking the stack takes microseconds; finding each frame's file and line in the debug
/// information takes tens of milliseconds (the first time in a process, with the debug
/// information still to load, about half a second). So the calling thread only walks the
/// stack (``backtrace()``); the images are mapped once per process, and the frames made
/// from a stack are kept with their JSON (``CapturedStack``), keyed by the stack's
/// addresses (``FrameCache``: 16 MiB at most, the least recently used forgotten first): a
/// capture from a call path seen before costs only the walk. A new stack is
/// symbolicated by ``RavenWorker``. Source files are read once (``SourceCache``). The stack is
/// walked by frame pointers, which SwiftPM builds keep by default; a build with
/// `-fomit-frame-pointer` (or `-Xswiftc -disable-frame-pointer…`) gets shorter stacks.
enum StackCapture {
    /// The process's images, mapped at the first capture. Code in a library loaded later
    /// with `dlopen` shows as `<unknown>` frames with their addresses.
    private static let images = ImageMap.capture()

    /// The most frames kept: the innermost 48 and the outermost 16 of a deeper stack.
    static let frameLimit = 64

    /// Modules whose frames are never the program's own code.
    static let systemModules: Set<String> = [
        "Swift", "_Concurrency", "_StringProcessing", "Foundation", "FoundationEssentials",
        "FoundationInternationalization", "Dispatch", "Synchronization", "Runtime", "Testing", "XCTest",
        "HekaClient", "HekaRaven", "Streams", "HekaPlatform", "HekaLogging", "HekaMetrics",
        "HekaServiceLifecycle", "Logging", "CoreMetrics", "ServiceLifecycle", "__C",
    ]

    /// The calling thread's stack as return addresses: microseconds, the only part of a
    /// capture that must happen on the calling thread.
    @inline(never)
    static func backtrace() -> Backtrace? {
        try? Backtrace.capture(limit: frameLimit, top: 16, images: images)
    }

    /// The frames of `backtrace` if a stack with the same addresses was symbolicated before.
    static func cachedStack(of backtrace: Backtrace, settings: RavenPlugin) -> CapturedStack? {
        cache.stack(for: CacheKey(backtrace, settings))
    }

    /// The frames of `backtrace`: from the cache, or by symbolicating it (the slow part),
    /// after which the cache keeps them.
    static func stack(of backtrace: Backtrace, settings: RavenPlugin) -> CapturedStack {
        let key = CacheKey(backtrace, settings)
        if let known = cache.stack(for: key) { return known }
        let (frames, omitted) = frames(of: backtrace, settings: settings)
        let stack = CapturedStack(frames: frames, omitted: omitted, limit: Limiter(settings: settings))
        cache.keep(stack, for: key)
        return stack
    }

    /// What makes two captures give the same frames and the same frames JSON.
    private struct CacheKey: Hashable, Sendable {
        var addresses: [Backtrace.Address]
        /// Frames left out in the middle (a deep stack keeps its top and bottom frames), and
        /// whether the walk was cut short.
        var omitted = 0
        var truncated = false
        var includePaths: [String]
        var excludePaths: [String]
        var contextLines: Int
        var stringMaxLength: Int

        init(_ backtrace: Backtrace, _ settings: RavenPlugin) {
            addresses = []
            addresses.reserveCapacity(StackCapture.frameLimit)
            for frame in backtrace.frames {
                switch frame {
                case .omittedFrames(let count): omitted += count
                case .truncated: truncated = true
                default: addresses.append(frame.originalProgramCounter)
                }
            }
            includePaths = settings.includePaths
            excludePaths = settings.excludePaths
            contextLines = settings.contextLines
            stringMaxLength = settings.stringMaxLength
        }
    }

    /// The stacks symbolicated before, bounded by bytes (16 MiB), the least recently used
    /// forgotten first.
    private static let cache = FrameCache<CacheKey>()

    /// Symbolicates `backtrace` (the slow part) and makes its frames.
    private static func frames(of backtrace: Backtrace, settings: RavenPlugin) -> (frames: [StackFrame], omitted: Int) {
        guard let symbolicated = backtrace.symbolicated(
            with: images, options: [.showSourceLocations, .useSymbolCache, .showInlineFrames])
        else { return ([], 0) }
        var frames: [StackFrame] = []
        var omitted = 0
        var skippingOwn = true
        for frame in symbolicated.frames {
            switch frame.captured {
            case .omittedFrames(let count):
                omitted += count
                continue
            case .truncated:
                continue
            default: break
            }
            if skippingOwn && isOwn(frame) { continue }
            skippingOwn = false
            if isRuntimeNoise(frame) { continue }
            let next = stackFrame(frame, settings: settings)
            // An optimised build shows a function and its specialisation as two frames, one
            // without a location: keep the one with it.
            if let previous = frames.last, previous.function == next.function {
                if previous.line == nil {
                    frames[frames.count - 1] = next
                    continue
                }
                if next.line == nil { continue }
            }
            frames.append(next)
        }
        return (frames.reversed(), omitted)
    }

    /// The optimiser's prefixes of demangled names, which a debug build's names lack.
    static let optimizationPrefixes = ["specialized", "merged"]

    /// A function's name without the optimiser's prefixes (``optimizationPrefixes``), and
    /// the prefixes taken off, in order.
    static func baseName(_ function: String) -> (name: String, optimizations: [String]) {
        var name = function[...]
        var optimizations: [String] = []
        var stripped = true
        while stripped {
            stripped = false
            for prefix in optimizationPrefixes where name.hasPrefix(prefix + " ") {
                name = name.dropFirst(prefix.count + 1)
                optimizations.append(prefix)
                stripped = true
            }
        }
        return (optimizations.isEmpty ? function : String(name), optimizations)
    }

    /// Whether `frame` is the runtime's rather than code someone wrote: thunks (reabstraction,
    /// partial application; Runtime's `isSwiftThunk`), what Runtime calls system functions
    /// (`completeTaskWithClosure`, an `async` main's `$main` and `async_MainTQ0_`, the C
    /// library's process and thread starts), and anything else of the Concurrency runtime
    /// that starts and resumes tasks (`swift_job_run`, …).
    static func isRuntimeNoise(_ frame: SymbolicatedBacktrace.Frame) -> Bool {
        guard let symbol = frame.symbol else { return false }
        return frame.isSwiftThunk || frame.isSystem || symbol.imageName.hasPrefix("libswift_Concurrency")
    }

    /// Whether `frame` is this library's (or the runtime's capture machinery).
    private static func isOwn(_ frame: SymbolicatedBacktrace.Frame) -> Bool {
        guard let symbol = frame.symbol else { return false }
        let raw = symbol.rawName
        return capturingModules.contains { raw.hasPrefix($0.prefix) || raw.contains($0.extensionContext) }
            || symbol.sourceLocation?.path.contains("/Sources/HekaRaven/") == true
            || symbol.sourceLocation?.path.contains("/Sources/HekaLogging/") == true || frame.isSwiftThunk
    }

    /// The modules whose frames sit between a capture and the code that asked for it, as
    /// they are mangled: this one, the runtime's backtracer, and the swift-log handler with
    /// swift-log itself (a `logger.error` that captures a stack).
    /// Each as a mangled name's start (`$s9HekaRaven…`) and as the context of an extension
    /// it declares (`…9HekaRavenE…`), made once rather than per frame.
    private static let capturingModules = ["9HekaRaven", "7Runtime", "11HekaLogging", "7Logging"].map {
        (prefix: "$s" + $0, extensionContext: $0 + "E")
    }

    private static func stackFrame(_ frame: SymbolicatedBacktrace.Frame, settings: RavenPlugin) -> StackFrame {
        let address = UInt64(frame.captured.originalProgramCounter) ?? 0
        guard let symbol = frame.symbol else {
            return StackFrame(function: "<unknown>", instructionAddress: address, inApp: false)
        }
        // Thunks and other generated code have a placeholder file and line 0: no location.
        let location = symbol.sourceLocation.flatMap {
            $0.line > 0 && $0.path.hasPrefix("/") && !$0.path.hasSuffix("<compiler-generated>") ? $0 : nil
        }
        let module = moduleName(demangled: symbol.name, raw: symbol.rawName) ?? symbol.imageName
        let (function, optimizations) = baseName(symbol.name)
        var result = StackFrame(
            function: function, optimizations: optimizations, rawFunction: symbol.rawName, module: module,
            fileName: location.map { String($0.path.split(separator: "/").last ?? "") },
            absolutePath: location?.path, line: location?.line, column: location?.column,
            instructionAddress: address, image: symbol.imageName, inApp: false)
        result.inApp = isInApp(result, system: frame.isSystem, settings: settings)
        if let location, settings.contextLines > 0,
           let context = SourceCache.shared.context(path: location.path, line: location.line,
                                                    count: settings.contextLines) {
            result.preContext = context.pre
            result.contextLine = context.line
            result.postContext = context.post
        }
        return result
    }

    /// The include/exclude paths decide when given; otherwise a frame with a source
    /// location outside the system's modules and libraries, and outside the package
    /// dependencies SwiftPM checks out (`.build/checkouts/`), is in-app.
    static func isInApp(_ frame: StackFrame, system: Bool, settings: RavenPlugin) -> Bool {
        let path = frame.absolutePath ?? ""
        if settings.excludePaths.contains(where: { path.hasPrefix($0) }) { return false }
        if !settings.includePaths.isEmpty { return settings.includePaths.contains { path.hasPrefix($0) } }
        guard frame.absolutePath != nil, !system else { return false }
        if let module = frame.module, systemModules.contains(module) { return false }
        return !path.hasPrefix("/usr/") && !path.hasPrefix("/opt/swift") && !path.hasPrefix("/lib/")
            && !path.contains("/.build/checkouts/") && !path.contains("/SourcePackages/checkouts/")
    }

    /// The Swift module of a symbol: the extension's module (`(extension in M):…`), else
    /// the module of its outermost context in the mangled name; `nil` for C symbols.
    static func moduleName(demangled: String, raw: String) -> String? {
        if let range = demangled.range(of: "(extension in ") {
            let rest = demangled[range.upperBound...]
            if let end = rest.firstIndex(of: ")") { return String(rest[..<end]) }
        }
        guard raw.hasPrefix("$s") else { return nil }
        var rest = raw.dropFirst(2)
        if rest.hasPrefix("So") { return "__C" }
        if rest.first == "s" { return "Swift" }
        let digits = rest.prefix { $0.isASCII && $0.isNumber }
        guard let length = Int(digits), length > 0 else { return nil }
        rest = rest.dropFirst(digits.count)
        guard rest.count >= length else { return nil }
        return String(rest.prefix(length))
    }
}
