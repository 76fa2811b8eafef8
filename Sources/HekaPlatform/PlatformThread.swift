#if canImport(Glibc)
import Glibc
#endif
import SystemPackage

/// A joinable pthread running one closure: the stream writers' threads.
///
/// Not Foundation's `Thread`: joining is how `close` knows the writer has stopped touching
/// its socket, and a `pthread_t` compares cheaply with the current thread's.
public struct PlatformThread: @unchecked Sendable {
    // @unchecked Sendable: a pthread_t is an identifier, valid on any thread.
    private let thread: pthread_t

    /// Starts a thread running `body`.
    public static func spawn(_ body: @escaping @Sendable () -> Void) throws(Errno) -> PlatformThread {
        final class Box { let body: @Sendable () -> Void; init(_ body: @escaping @Sendable () -> Void) { self.body = body } }
        let context = Unmanaged.passRetained(Box(body)).toOpaque()
        var thread = pthread_t()
        let rc = pthread_create(&thread, nil, { raw in
            Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue().body()
            return nil
        }, context)
        guard rc == 0 else {
            Unmanaged<Box>.fromOpaque(context).release()
            throw Errno(rawValue: rc)
        }
        return PlatformThread(thread: thread)
    }

    /// Whether this is the thread calling.
    public var isCurrent: Bool { pthread_equal(thread, pthread_self()) != 0 }

    /// Waits for the thread to end; from the thread itself (which would deadlock) it is
    /// detached instead, and ends on its own.
    public func join() {
        if isCurrent {
            let rc = pthread_detach(thread)
            precondition(rc == 0, "pthread_detach failed: \(rc)")
        } else {
            let rc = pthread_join(thread, nil)
            precondition(rc == 0, "pthread_join failed: \(rc)")
        }
    }
}
