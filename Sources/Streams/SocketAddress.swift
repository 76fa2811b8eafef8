#if canImport(Glibc)
import Glibc
#endif

// Internal POSIX helpers shared by the socket streams (`UdpStream`, `TcpStream`): address
// resolution into `sockaddr_storage`, socket creation, and errno → text (also used by the
// file-descriptor streams).

/// The text `strerror_r` gives for `code`, e.g. "No space left on device".
package func systemErrorMessage(_ code: Int32) -> String {
    var buffer = [CChar](repeating: 0, count: 256)
    let rc = buffer.withUnsafeMutableBufferPointer { strerror_r(code, $0.baseAddress!, $0.count) }
    guard rc == 0 else { return "error \(code)" }
    return buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
}

/// `host:port`, with an IPv6 literal in brackets (`[::1]:5565`).
package func endpointDescription(host: String, port: Int) -> String {
    host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
}

/// Throws ``StreamError/Code/invalidConfiguration`` unless `port` is in 1...65535.
func validatePort(_ port: Int, stream: String) throws(StreamError) {
    guard (1...65_535).contains(port) else {
        throw StreamError(.invalidConfiguration, "\(stream): port \(port) is outside 1...65535")
    }
}

/// The socket type asked of `getaddrinfo`.
package enum SocketKind: Sendable {
    case datagram, stream

    package var rawValue: Int32 {
        switch self {
        case .datagram: Int32(SOCK_DGRAM.rawValue)
        case .stream: Int32(SOCK_STREAM.rawValue)
        }
    }
}

/// One resolved IPv4 or IPv6 address with its port, ready for `sendto`/`connect`.
package struct SocketAddress: Sendable, CustomStringConvertible {
    /// The address, as `getaddrinfo` returned it.
    package var storage: sockaddr_storage
    /// How many bytes of `storage` are meaningful.
    package var length: socklen_t

    package init(storage: sockaddr_storage, length: socklen_t) {
        self.storage = storage
        self.length = length
    }

    /// `AF_INET` or `AF_INET6`.
    package var family: Int32 { Int32(storage.ss_family) }

    /// The numeric host and port, e.g. `127.0.0.1:5565` or `[::1]:5565`.
    package var description: String {
        var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        var service = [CChar](repeating: 0, count: Int(NI_MAXSERV))
        let rc = withSockAddr { address, length in
            getnameinfo(
                address, length, &host, socklen_t(host.count), &service, socklen_t(service.count),
                NI_NUMERICHOST | NI_NUMERICSERV)
        }
        guard rc == 0 else { return "<unprintable address>" }
        let hostText = host.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        let serviceText = service.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        return endpointDescription(host: hostText, port: Int(serviceText) ?? 0)
    }

    /// Calls `body` with a `sockaddr` pointer to this address and its length.
    package func withSockAddr<Result>(_ body: (UnsafePointer<sockaddr>, socklen_t) throws -> Result) rethrows -> Result {
        try withUnsafePointer(to: storage) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { try body($0, length) }
        }
    }

    /// Resolves `host` (an IPv4 or IPv6 literal or a name such as `localhost`) with
    /// `getaddrinfo`, returning every IPv4/IPv6 address in the resolver's order of preference.
    ///
    /// Throws ``StreamError/Code/invalidConfiguration`` for a port outside 1...65535 (or
    /// 0...65535 with `listening`, where 0 asks the kernel for a free port) and
    /// ``StreamError/Code/resolveFailed`` (naming the host) when nothing is found.
    package static func resolve(
        host: String, port: Int, kind: SocketKind, listening: Bool = false, stream: String
    ) throws(StreamError) -> [SocketAddress] {
        if !listening || port != 0 { try validatePort(port, stream: stream) }
        guard !host.isEmpty else {
            throw StreamError(.invalidConfiguration, "\(stream): the host name is empty")
        }
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = kind.rawValue
        hints.ai_flags = AI_NUMERICSERV | (listening ? AI_PASSIVE : 0)
        var list: UnsafeMutablePointer<addrinfo>?
        // getaddrinfo does not take IPv6 literals in brackets; accept them anyway.
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        let rc = getaddrinfo(bare, String(port), &hints, &list)
        guard rc == 0 else {
            let reason = rc == EAI_SYSTEM ? systemErrorMessage(errno) : String(cString: gai_strerror(rc))
            throw StreamError(.resolveFailed, "\(stream): cannot resolve host '\(host)': \(reason)")
        }
        defer { freeaddrinfo(list) }
        var addresses: [SocketAddress] = []
        var entry = list
        while let info = entry?.pointee {
            entry = info.ai_next
            guard info.ai_family == AF_INET || info.ai_family == AF_INET6, let source = info.ai_addr,
                info.ai_addrlen <= socklen_t(MemoryLayout<sockaddr_storage>.size)
            else { continue }
            var storage = sockaddr_storage()
            withUnsafeMutableBytes(of: &storage) { target in
                target.copyMemory(from: UnsafeRawBufferPointer(start: source, count: Int(info.ai_addrlen)))
            }
            addresses.append(SocketAddress(storage: storage, length: info.ai_addrlen))
        }
        guard !addresses.isEmpty else {
            throw StreamError(.resolveFailed, "\(stream): host '\(host)' has no IPv4 or IPv6 address")
        }
        return addresses
    }
}

/// Opens a close-on-exec socket, throwing ``StreamError/Code/openFailed`` on failure.
package func makeSocket(family: Int32, kind: SocketKind, nonBlocking: Bool = false, stream: String) throws(StreamError) -> Int32 {
    var type = kind.rawValue | Int32(SOCK_CLOEXEC.rawValue)
    if nonBlocking { type |= Int32(SOCK_NONBLOCK.rawValue) }
    let fd = socket(family, type, 0)
    guard fd >= 0 else {
        let code = errno
        let familyName = family == AF_INET6 ? "IPv6" : "IPv4"
        throw StreamError(
            .openFailed, "\(stream): cannot create \(familyName) socket: \(systemErrorMessage(code))", errno: code)
    }
    return fd
}
