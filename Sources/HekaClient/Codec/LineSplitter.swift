/// Splits a byte stream into lines as it arrives, in time linear in the input and memory
/// bounded by the line limit and the pieces appended.
///
/// Each byte is scanned for a newline once however the input is cut into pieces, and a line
/// longer than ``maxLineLength`` is reported as soon as it is, then skipped up to its newline
/// without being kept. The JSON-lines decoder and `heka send --lines` read lines with it.
package struct LineSplitter: Sendable {
    /// What ``next()`` found.
    package enum Line: Equatable {
        /// A line without its `\n`, its number (from 1) and the input offset of its first byte.
        case line(ArraySlice<UInt8>, number: Int, offset: Int)
        /// A line longer than the limit, by number and offset; its bytes are skipped.
        case tooLong(number: Int, offset: Int)
    }

    /// The longest line kept, newline excluded.
    package let maxLineLength: Int
    private var input = InputBuffer()
    /// The number of the next line, from 1.
    package private(set) var lineNumber = 1
    /// Input offset up to which the current line is known to have no newline.
    private var scanned = 0
    /// Skipping the rest of a line reported as too long.
    private var skippingLine = false
    /// How many bytes were scanned for a newline: the input's length, once each is read.
    package private(set) var scannedByteCount = 0

    package init(maxLineLength: Int) {
        self.maxLineLength = max(1, maxLineLength)
    }

    /// Adds input.
    package mutating func append(_ bytes: some Sequence<UInt8>) { input.append(bytes) }

    /// The bytes received and not yet handed out as a line.
    package var pendingByteCount: Int { input.unreadCount }

    /// The next complete line, or a line that has just grown past the limit; `nil` when more
    /// input is needed.
    package mutating func next() -> Line? {
        while true {
            let from = max(input.start, scanned - input.consumed)
            guard let newline = input.bytes[from...].firstIndex(of: 0x0A) else {
                scannedByteCount += input.bytes.count - from
                scanned = input.consumed + input.bytes.count
                return overlongLine()
            }
            scannedByteCount += newline + 1 - from
            let lineStart = input.consumed + input.start
            let line = input.bytes[input.start..<newline]
            input.start = newline + 1
            scanned = input.consumed + input.start
            lineNumber += 1
            if skippingLine {
                skippingLine = false
                continue
            }
            if line.count > maxLineLength { return .tooLong(number: lineNumber - 1, offset: lineStart) }
            return .line(line, number: lineNumber - 1, offset: lineStart)
        }
    }

    /// At the end of the input: a last line that has no newline, if any.
    package mutating func finish() -> Line? {
        guard input.unreadCount > 0 else { return nil }
        input.append(0x0A as UInt8)
        return next()
    }

    /// With no newline buffered: a line that has just grown past the limit (its bytes are
    /// dropped and the rest of it skipped), else `nil`.
    private mutating func overlongLine() -> Line? {
        guard input.unreadCount > maxLineLength || (skippingLine && input.unreadCount > 0) else { return nil }
        let lineStart = input.consumed + input.start
        input.start = input.bytes.count
        guard !skippingLine else { return nil }
        skippingLine = true
        return .tooLong(number: lineNumber, offset: lineStart)
    }
}
