import Foundation
import HekaPlatform
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Runs `body` on a thread of its own, so that the signal mask it changes is no other test's,
/// and waits for it (at most 10 s).
private func onOwnThread(_ body: @escaping @Sendable () -> Void) {
    let done = DispatchSemaphore(value: 0)
    Thread {
        body()
        done.signal()
    }.start()
    #expect(done.wait(timeout: .now() + 10) == .success)
}

/// A pipe whose read end is already closed: writing to it raises `SIGPIPE`.
private func brokenPipe() -> Int32 {
    var ends: [Int32] = [-1, -1]
    #expect(pipe(&ends) == 0)
    close(ends[0])
    return ends[1]
}

private func sigpipeBlocked() -> Bool {
    var mask = sigset_t()
    pthread_sigmask(SIG_BLOCK, nil, &mask)
    return sigismember(&mask, SIGPIPE) == 1
}

private func setSIGPIPEBlocked(_ blocked: Bool) {
    var set = sigset_t()
    sigemptyset(&set)
    sigaddset(&set, SIGPIPE)
    pthread_sigmask(blocked ? SIG_BLOCK : SIG_UNBLOCK, &set, nil)
}

/// Takes a pending `SIGPIPE` off the thread; whether there was one.
private func consumePendingSIGPIPE() -> Bool {
    var set = sigset_t()
    sigemptyset(&set)
    sigaddset(&set, SIGPIPE)
    var zero = timespec(tv_sec: 0, tv_nsec: 0)
    return sigtimedwait(&set, nil, &zero) == SIGPIPE
}

@Suite struct SIGPIPETests {
    // The thread blocks SIGPIPE itself first: a write that raised the signal then leaves it
    // pending (instead of ending the test process), which the tests can see.

    @Test("a write to a pipe whose reader has gone fails with EPIPE and leaves no SIGPIPE behind")
    func brokenPipeGivesEPIPE() {
        onOwnThread {
            setSIGPIPEBlocked(true)
            defer { setSIGPIPEBlocked(false) }
            let fd = brokenPipe()
            defer { close(fd) }
            #expect(writeAll(fd: fd, Array("lost\n".utf8)) == EPIPE)
            #expect(!isSIGPIPEPending())
            #expect(sigpipeBlocked())  // the caller's mask as it was
        }
    }

    @Test("the thread's mask is restored: SIGPIPE unblocked before the write is unblocked after")
    func maskRestored() {
        onOwnThread {
            setSIGPIPEBlocked(false)
            let fd = brokenPipe()
            defer { close(fd) }
            // Would end the process if the signal were delivered.
            #expect(writeAll(fd: fd, Array("lost\n".utf8)) == EPIPE)
            #expect(!sigpipeBlocked())
        }
    }

    @Test("a SIGPIPE pending before the write is someone else's: it is left pending")
    func earlierSignalLeftAlone() {
        onOwnThread {
            setSIGPIPEBlocked(true)
            defer { setSIGPIPEBlocked(false) }
            #expect(pthread_kill(pthread_self(), SIGPIPE) == 0)
            #expect(isSIGPIPEPending())
            let fd = brokenPipe()
            defer { close(fd) }
            #expect(writeAll(fd: fd, Array("lost\n".utf8)) == EPIPE)
            #expect(isSIGPIPEPending())
            #expect(consumePendingSIGPIPE())
            #expect(!isSIGPIPEPending())
        }
    }

    @Test("writeAll says how many bytes went before a failure")
    func progressOnFailure() {
        let fd = brokenPipe()
        defer { close(fd) }
        let progress = Array("abc".utf8).withUnsafeBytes { writeAll(fd: fd, $0) }
        #expect(progress.written == 0 && progress.errno == EPIPE)
    }
}
