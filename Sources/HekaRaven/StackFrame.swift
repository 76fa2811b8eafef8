/// One frame of a captured stack, as the Sentry event carries it.
public struct StackFrame: Sendable, Hashable {
    /// The demangled function (`HekaRavenTests.checkout(basket:) throws -> ()`), without
    /// the optimiser's prefixes (see ``optimizations``), so that debug and release builds
    /// name a function alike.
    public var function: String
    /// The optimiser's prefixes taken off ``function``, in order: `specialized` (a generic
    /// function compiled for particular types), `merged` (identical functions folded into
    /// one). Sent as `data` (`"data": {"specialized": true}`), which Sentry keeps with the
    /// frame; nothing when empty.
    public var optimizations: [String] = []
    /// The symbol as the binary has it (`$s14HekaRavenTests8checkout…`); `nil` without one.
    public var rawFunction: String?
    /// The Swift module (or, for C code, the image) the function belongs to.
    public var module: String?
    /// The source file's name (`Checkout.swift`).
    public var fileName: String?
    /// The source file's full path.
    public var absolutePath: String?
    /// The 1-based line.
    public var line: Int?
    /// The 1-based column.
    public var column: Int?
    /// The program counter.
    public var instructionAddress: UInt64
    /// The binary or library the code is in.
    public var image: String?
    /// Whether the frame is the program's own code rather than a library's.
    public var inApp: Bool
    /// Source lines before ``line``.
    public var preContext: [String] = []
    /// The source line itself.
    public var contextLine: String?
    /// Source lines after ``line``.
    public var postContext: [String] = []
}
