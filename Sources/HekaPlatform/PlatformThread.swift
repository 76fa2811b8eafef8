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

    /// Starts a thread running `body`, named `name` (at most 15 bytes show; Linux otherwise
    /// gives a new thread its creator's name).
    public static func spawn(
        name: String? = nil, _ body: @escaping @Sendable () -> Void
    ) throws(Errno) -> PlatformThread {
        final class Box { let body: @Sendable () -> Void; init(_ body: @escaping @Sendable () -> Void) { self.body = body } }
        let named: @Sendable () -> Void = {
            if let name { setCurrentThreadName(name) }
            body()
        }
        let context = Unmanaged.passRetained(Box(named)).toOpaque()
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

    /// Lets the thread end on its own, never joined.
    public func detach() {
        let rc = pthread_detach(thread)
        precondition(rc == 0, "pthread_detach failed: \(rc)")
    }

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

/// glibc's `pthread_setname_np`, which the Glibc module does not import (a GNU extension).
private let setThreadName: (@convention(c) (pthread_t, UnsafePointer<CChar>) -> Int32)? = {
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "pthread_setname_np") else { return nil }
    return unsafeBitCast(symbol, to: (@convention(c) (pthread_t, UnsafePointer<CChar>) -> Int32).self)
}()

/// Names the calling thread (the first 15 bytes; what `ps -L` and debuggers show).
func setCurrentThreadName(_ name: String) {
    let bytes = Array(name.utf8.prefix(15)).map { CChar(bitPattern: $0) } + [0]
    _ = setThreadName?(pthread_self(), bytes)
}
