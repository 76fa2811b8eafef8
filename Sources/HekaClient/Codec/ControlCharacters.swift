/// Text from the input made safe to print on a terminal: what could move the cursor, clear
/// the screen, retitle the window or reorder the line is shown as a `\u{…}` escape instead of
/// acting. Problems that quote the input (a signer's name) and `heka cat`'s text output use it.
package enum ControlCharacters {
    /// `text` with every control character but the tab (C0, DEL, C1; a line break too, for
    /// callers split lines first) and every bidirectional override or isolate escaped.
    package static func escaped(_ text: some StringProtocol) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return String(text) }
        var out = ""
        for scalar in text.unicodeScalars {
            if needsEscape(scalar) {
                out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09: false
        case 0x00...0x1F, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }
}
