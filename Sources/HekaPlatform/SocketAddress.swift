#if canImport(Glibc)
import Glibc
#endif

import SystemPackage

// Addresses and sockets: resolution into `sockaddr_storage`, socket creation, and how a
// host and port are written and checked, for every socket of the public (the streams, the
// command-line tool's listeners).

/// The ports a socket can send to. (0 asks the kernel for a free port, which only a
/// listener can do.)
public let sendablePorts: ClosedRange<Int> = 1...65_535

/// `host:port`, with an IPv6 literal in brackets (`[::1]:5565`).
public func endpointDescription(host: String, port: Int) -> String {
    host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
}

/// Why an address could not be resolved; its message names the host or port, not the
/// stream or listener (the caller adds that).
public struct AddressError: Error, Sendable {
    public enum Kind: Sendable {
        /// The port or host is not acceptable as written.
        case invalid
        /// The resolver found nothing.
        case notFound
    }

    public var kind: Kind
    public var message: String
}

/// The socket type asked of `getaddrinfo`.
public enum SocketKind: Sendable {
    case datagram, stream

    public var rawValue: Int32 {
        switch self {
        case .datagram: Int32(SOCK_DGRAM.rawValue)
        case .stream: Int32(SOCK_STREAM.rawValue)
        }
    }
}

/// One resolved IPv4 or IPv6 address with its port, ready for `sendto`/`connect`.
public struct SocketAddress: Sendable, CustomStringConvertible {
    /// The address, as `getaddrinfo` returned it.
    public var storage: sockaddr_storage
    /// How many bytes of `storage` are meaningful.
    public var length: socklen_t

    public init(storage: sockaddr_storage, length: socklen_t) {
        self.storage = storage
        self.length = length
    }

    /// `AF_INET` or `AF_INET6`.
    public var family: Int32 { Int32(storage.ss_family) }

    /// The numeric host and port, e.g. `127.0.0.1:5565` or `[::1]:5565`.
    public var description: String {
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
    func withSockAddr<Result>(_ body: (UnsafePointer<sockaddr>, socklen_t) throws -> Result) rethrows -> Result {
        try withUnsafePointer(to: storage) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { try body($0, length) }
        }
    }

    /// Resolves `host` (an IPv4 or IPv6 literal or a name such as `localhost`) with
    /// `getaddrinfo`, returning every IPv4/IPv6 address in the resolver's order of preference.
    ///
    /// Throws ``AddressError/Kind/invalid`` for an empty host or a port outside 1...65535
    /// (0...65535 with `listening`, where 0 asks the kernel for a free port) and
    /// ``AddressError/Kind/notFound`` (naming the host) when nothing is found.
    public static func resolve(
        host: String, port: Int, kind: SocketKind, listening: Bool = false
    ) throws(AddressError) -> [SocketAddress] {
        guard sendablePorts.contains(port) || (listening && port == 0) else {
            throw AddressError(kind: .invalid, message: "port \(port) is outside 1...65535")
        }
        guard !host.isEmpty else {
            throw AddressError(kind: .invalid, message: "the host name is empty")
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
            throw AddressError(kind: .notFound, message: "cannot resolve host '\(host)': \(reason)")
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
            throw AddressError(kind: .notFound, message: "host '\(host)' has no IPv4 or IPv6 address")
        }
        return addresses
    }
}

/// Opens a close-on-exec socket of `family` (`AF_INET`, `AF_INET6`, `AF_UNIX`).
public func makeSocket(family: Int32, kind: SocketKind, nonBlocking: Bool = false) throws(Errno) -> Int32 {
    var type = kind.rawValue | Int32(SOCK_CLOEXEC.rawValue)
    if nonBlocking { type |= Int32(SOCK_NONBLOCK.rawValue) }
    return try syscall { socket(family, type, 0) }
}

/// `IPv6` or `IPv4`, for messages.
public func familyName(_ family: Int32) -> String {
    family == AF_INET6 ? "IPv6" : "IPv4"
}
