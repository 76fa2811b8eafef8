#if canImport(Glibc)
import Glibc
#endif

/// The calls running on the current thread, as a list of nodes on that thread's stack: the
/// thread-specific value of ``reentrancyKey`` points at the innermost.
private struct ActiveCall {
    let owner: UnsafeRawPointer
    let outer: UnsafeMutableRawPointer?
}

/// The thread-specific key of the innermost ``ActiveCall``; made once, never deleted.
private let reentrancyKey: pthread_key_t = {
    var key = pthread_key_t()
    let rc = pthread_key_create(&key, nil)
    precondition(rc == 0, "pthread_key_create failed: \(rc)")
    return key
}()

/// Runs `body` unless a call for the same `owner` is already running on this thread (a
/// handler that, directly or through other code, ends up calling itself again); returns
/// whether it ran. Costs two thread-specific lookups and a walk of the calls in progress
/// (usually none); nothing is allocated.
public func runUnlessReentered(for owner: AnyObject, _ body: () -> Void) -> Bool {
    let key = reentrancyKey
    let identity = UnsafeRawPointer(Unmanaged.passUnretained(owner).toOpaque())
    let innermost = pthread_getspecific(key)
    var cursor = innermost
    while let call = cursor {
        let active = call.load(as: ActiveCall.self)
        if active.owner == identity { return false }
        cursor = active.outer
    }
    var call = ActiveCall(owner: identity, outer: innermost)
    withUnsafeMutablePointer(to: &call) { pointer in
        pthread_setspecific(key, pointer)
        body()
        pthread_setspecific(key, innermost)
    }
    return true
}
