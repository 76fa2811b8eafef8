extension StackFrame {
    /// A frame of a crash report, made by raven's rules (``StackCapture``): the optimiser's
    /// prefixes taken off the name, the Swift module from the mangled name, in-app as the
    /// plugin's paths decide (never for a `system` frame), and the source lines around the
    /// line from ``SourceCache`` when `withContext`.
    init(symbol name: String, raw: String, image: String?, address: UInt64,
         location: (path: String, line: Int, column: Int?)?, system: Bool, settings: RavenPlugin, withContext: Bool) {
        // Generated code has a placeholder file and line 0: no location.
        let place = location.flatMap {
            $0.line > 0 && $0.path.hasPrefix("/") && !$0.path.hasSuffix("<compiler-generated>") ? $0 : nil
        }
        let (function, optimizations) = StackCapture.baseName(name)
        self.init(function: function, optimizations: optimizations, rawFunction: raw,
                  module: StackCapture.moduleName(demangled: name, raw: raw) ?? image,
                  fileName: place.map { String($0.path.split(separator: "/").last ?? "") }, absolutePath: place?.path,
                  line: place?.line, column: place?.column, instructionAddress: address, image: image, inApp: false)
        inApp = StackCapture.isInApp(self, system: system, settings: settings)
        guard withContext, let place, settings.contextLines > 0,
              let lines = SourceCache.shared.context(path: place.path, line: place.line, count: settings.contextLines)
        else { return }
        (preContext, contextLine, postContext) = (lines.pre, lines.line, lines.post)
    }
}
