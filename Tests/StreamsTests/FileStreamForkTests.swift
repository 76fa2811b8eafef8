#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Streams
import Synchronization
import Testing

/// A file stream used across `fork()`: while the parent's threads keep writing, each child
/// writes a line of its own and flushes. Each body runs in a process of its own (an exit
/// test), so that the forks leave the test runner alone.
@Suite struct FileStreamForkTests {
    @Test("a forked child's write and flush work on a file stream whose writer thread stayed in the parent")
    func childWritesWhileParentThreadsWrite() async {
        await #expect(processExitsWith: .success) {
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("fork-\(UUID().uuidString).log").path
            defer { unlink(path) }
            let stream = try FileDescriptorStream(path: path, errorHandler: StreamErrorHandler { _ in })
            try stream.write(Array("parent\n".utf8))
            try stream.flush(timeout: .seconds(60))  // the writer thread runs, in the parent only
            let running = Atomic(true)
            let threads = (0..<3).map { index in
                Thread {
                    while running.load(ordering: .relaxed) { try? stream.write(Array("busy \(index)\n".utf8)) }
                }
            }
            threads.forEach { $0.start() }
            for round in 0..<4 {
                let child = fork()
                if child == 0 {
                    alarm(100)  // a child stuck on a lock a parent's thread held dies, and says so
                    let line = "child \(round) pid \(getpid())\n"
                    guard (try? stream.write(Array(line.utf8))) != nil else { _exit(20) }
                    guard (try? stream.flush(timeout: .seconds(60))) != nil else { _exit(21) }
                    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { _exit(22) }
                    _exit(text.contains(line) ? 0 : 23)
                }
                guard child > 0 else { exit(11) }
                var status: Int32 = 0
                guard waitpid(child, &status, 0) == child else { exit(12) }
                let code = status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
                if code != 0 { exit(code) }
            }
            running.store(false, ordering: .relaxed)
        }
    }
}
