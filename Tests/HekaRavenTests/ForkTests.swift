#if canImport(Glibc)
import Glibc
#endif
import Foundation
import HekaClient
import LoopbackSupport
import Streams
import Synchronization
import Testing

@testable import HekaRaven

/// A client used across `fork()`: the parent keeps threads busy logging through it, then
/// forks again and again; each child logs through the same client (`heka()`, a cached and a
/// new `raven()` call path, `flush`) and checks what reached a loopback peer. Each body runs
/// in a process of its own (an exit test), so that the forks leave the test runner alone.
@Suite struct ForkTests {
    @Test("a forked child's heka(), raven() and flush work, over a TCP stream of its own, while the parent's threads log")
    func childLogsWhileParentThreadsLog() async {
        await #expect(processExitsWith: .success) {
            try ForkScenario.run(forks: 4)
        }
    }
}

/// What the exit test's process does; each step that fails exits with its own status.
enum ForkScenario {
    static func run(forks: Int) throws {
        let listener = try LoopbackTCPListener()
        let stream = try TcpStream(host: "127.0.0.1", port: listener.port, errorHandler: StreamErrorHandler { _ in })
        var plugins = PluginSet()
        try plugins.bind(RavenPlugin())
        let client = HekaClient(stream: stream, logger: "fork", plugins: plugins, errorHandler: ErrorHandler { _ in })

        // The parent's own connection, accepted here, so that only a child's is pending when
        // the child accepts; and the call path the children find cached.
        client.heka(type: "parent")
        capture(client, "cached path")
        guard client.flush(timeout: .symbolication) else { exit(10) }
        try listener.accept()

        // Threads that keep taking the client's, the stream's and raven's locks meanwhile.
        let stop = StopFlag()
        let stopped = DispatchSemaphore(value: 0)
        let busyThreads = 3
        for index in 0..<busyThreads {
            Thread {
                while !stop.value.load(ordering: .relaxed) {
                    client.heka(type: "busy", payload: "thread \(index)")
                    capture(client, "busy path")
                }
                stopped.signal()
            }.start()
        }
        for round in 0..<forks {
            let child = fork()
            if child == 0 { childChecks(client: client, listener: listener, round: round) }
            guard child > 0 else { exit(11) }
            var status: Int32 = 0
            guard waitpid(child, &status, 0) == child else { exit(12) }
            // The child's own exit status (0: every check passed), or 128 + its signal.
            let code = status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
            if code != 0 { exit(code) }
        }
        stop.value.store(true, ordering: .relaxed)
        for _ in 0..<busyThreads { stopped.wait() }
    }

    /// In the child: log, flush, read what arrived, and end with `_exit` (0 when all is well).
    static func childChecks(client: HekaClient, listener: LoopbackTCPListener, round: Int) -> Never {
        // A child that hangs on a lock its parent's thread held is killed, and says so.
        alarm(100)
        client.heka(type: "child", payload: "round \(round)")
        capture(client, "cached path")
        newPath(client, round)
        guard client.flush(timeout: .seconds(60)) else { _exit(20) }
        // The child's connection is the one pending on the inherited listening socket.
        guard (try? listener.accept()) != nil else { _exit(21) }
        let bytes = listener.read(count: Int.max, timeout: .milliseconds(1500))
        let messages = RecordDecoder.decodeAll(bytes).compactMap { event -> Message? in
            if case .record(let decoded) = event { return decoded.message }
            return nil
        }
        let pid = getpid()
        guard messages.allSatisfy({ $0.pid == pid }) else { _exit(22) }
        guard messages.contains(where: { $0.type == "child" && $0.payload == "round \(round)" }) else { _exit(23) }
        guard messages.filter({ $0.type == "stacktrace" }).count == 2 else { _exit(24) }
        guard !messages.contains(where: { $0.type == "busy" || $0.type == "parent" }) else { _exit(25) }
        _exit(0)
    }

    @inline(never)
    static func capture(_ client: HekaClient, _ message: String) {
        client.raven(message)
    }

    /// A call path no process captured before this child: the child's worker symbolicates it.
    @inline(never)
    static func newPath(_ client: HekaClient, _ round: Int) {
        client.raven("new path in round \(round)")
    }
}

/// Tells the busy threads to stop.
final class StopFlag: Sendable {
    let value = Atomic(false)
}
