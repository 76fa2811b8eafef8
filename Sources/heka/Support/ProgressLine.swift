import Foundation
import HekaPlatform

/// A progress line on standard error, redrawn in place at most four times a second.
final class ProgressLine {
    private var lastShown = ContinuousClock.now

    func show(sent: Int, bytes: Int, since start: ContinuousClock.Instant) {
        let now = ContinuousClock.now
        guard now - lastShown >= .milliseconds(250) else { return }
        lastShown = now
        let elapsed = now - start
        let seconds = max(elapsed.seconds, 1e-9)
        let line = String(format: "\rsent %d  %.0f messages/s  %.2f MB/s ", sent, Double(sent) / seconds,
                          Double(bytes) / seconds / 1e6)
        FileHandle.standardError.write(Data(line.utf8))
    }

    /// Erases the line.
    func clear() {
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}

