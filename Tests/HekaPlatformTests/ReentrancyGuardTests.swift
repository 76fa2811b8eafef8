import Foundation
import HekaPlatform
import Testing

@Suite struct ReentrancyGuardTests {
    final class Owner: Sendable {}

    @Test("a call for an owner already running on the thread is refused; other owners run")
    func nestedCallsRefused() {
        let first = Owner(), second = Owner()
        var ran: [String] = []
        let outer = runUnlessReentered(for: first) {
            ran.append("first")
            let nested = runUnlessReentered(for: first) { ran.append("first again") }
            #expect(!nested)
            let other = runUnlessReentered(for: second) {
                ran.append("second")
                #expect(!runUnlessReentered(for: first) { ran.append("first inside second") })
                #expect(!runUnlessReentered(for: second) { ran.append("second again") })
            }
            #expect(other)
        }
        #expect(outer)
        #expect(ran == ["first", "second"])
        // Once the call returned, the owner runs again.
        #expect(runUnlessReentered(for: first) { ran.append("first later") })
        #expect(ran.last == "first later")
    }

    @Test("the guard is per thread: another thread runs the same owner meanwhile")
    func otherThreadsUnaffected() {
        let owner = Owner()
        let ranElsewhere = LockedValue(false)
        let outer = runUnlessReentered(for: owner) {
            let done = DispatchSemaphore(value: 0)
            Thread {
                ranElsewhere.withLock { $0 = runUnlessReentered(for: owner) {} }
                done.signal()
            }.start()
            #expect(done.wait(timeout: .now() + 10) == .success)
        }
        #expect(outer)
        #expect(ranElsewhere.withLock { $0 })
    }
}
