import HekaPlatform
import Synchronization
import SystemPackage

/// Sends each record as one UDP datagram to one or more destinations.
///
/// Every host is resolved once, by the initialiser, with `getaddrinfo` (IPv4 and IPv6
/// literals and names such as `localhost`). A name with several addresses uses the first
/// one the resolver prefers whose address family this machine supports; the stream does
/// not re-resolve later. Each destination gets a socket of its own, connected to it: the
/// kernel then looks its route up once rather than for every datagram (on loopback a bare
/// `send` loop runs 1.12–1.15 × as fast as a bare `sendto` loop), and it tells the stream when
/// the destination refuses datagrams (see below). Where `connect` is refused (a broadcast
/// address, no route yet), that destination's socket stays unconnected and `sendto`s to
/// it, so a destination that cannot be reached now can be later.
///
/// **Size.** A record larger than ``maxDatagramSize`` is never sent cut: ``write(_:)``
/// throws ``StreamError/Code/recordTooLarge`` and counts it in
/// ``StreamStatistics/recordsFailed``; nothing is sent to any destination.
///
/// **Several destinations.** A record counts once: as written (in
/// ``StreamStatistics/recordsWritten`` and, once, its size in
/// ``StreamStatistics/bytesWritten``) if the send succeeded for *at least one*
/// destination, as failed if every destination refused it. When some destinations failed
/// but not all, `write` does not throw (the record was delivered); each failed destination
/// is reported instead to the stream's ``StreamErrorHandler`` (on the writing thread, before
/// `write` returns)
/// as a ``StreamError/Code/writeFailed`` error naming that destination, and counted in
/// ``destinationFailures``. When every destination failed, `write` throws one
/// ``StreamError/Code/writeFailed`` naming each destination and its reason.
///
/// **Nobody listening.** UDP has no delivery report, but a host where nothing listens on
/// the port answers with an ICMP "port unreachable", which Linux hands to a connected
/// socket as `ECONNREFUSED` on its next send (that send itself goes nowhere). The stream
/// then sends the record again at once, so the record is written as usual, and counts the
/// report in ``unreachableReports``; the first report after a send that went through is
/// also handed to the error handler as ``StreamError/Code/destinationUnreachable``, once
/// per outage rather than once per record. The datagrams sent before a report are lost:
/// they were counted as written when the kernel took them. Failures that the send itself
/// reports (`ENOBUFS`, `EMSGSIZE`, `EACCES` for a broadcast address, …) throw or are
/// reported as described above.
///
/// **Threads.** ``write(_:)`` takes no lock: sending on a shared socket is thread-safe, the
/// counters are atomics, and ``close(timeout:)`` coordinates with writers in flight through
/// an atomic use count (the sockets are closed by whichever of `close` and the last writer in
/// flight finishes last).
public final class UdpStream: HekaStream {
    /// One resolved destination and the socket that sends to it.
    private struct Destination: Sendable {
        var name: String
        var address: SocketAddress
        var fd: Int32
        /// Whether `fd` is connected to `address` (sent to with `send`, not `sendto`).
        var connected: Bool
    }

    /// One flag per destination, set by a refusal and cleared by a send that went through,
    /// so that an outage is reported once. Atomics reached through a pointer: checking one
    /// costs no reference counting on the send path.
    private struct RefusalFlags: @unchecked Sendable {
        // @unchecked Sendable: the flags are atomics; the stream frees them in its deinit.
        let flags: UnsafeMutablePointer<Atomic<Bool>>
        let count: Int

        init(count: Int) {
            flags = .allocate(capacity: count)
            for index in 0..<count { (flags + index).initialize(to: Atomic(false)) }
            self.count = count
        }

        func release() {
            flags.deinitialize(count: count)
            flags.deallocate()
        }
    }

    /// The largest record, in bytes, sent as a datagram.
    public let maxDatagramSize: Int

    /// ``maxDatagramSize``: a larger record is refused, never cut.
    public var maxRecordSize: Int? { maxDatagramSize }
    /// `udp://` followed by the destinations as given, e.g. `udp://127.0.0.1:5565` or
    /// `udp://[::1]:5565,logs.example.com:5565`.
    public let description: String

    private let destinations: [Destination]
    /// Bit 0: closed. The rest: twice the number of `write` calls in flight.
    private let usage = Atomic<Int>(0)
    private let socketsReleased = Atomic<Bool>(false)
    private let recordsWritten = Atomic<Int>(0)
    private let bytesWritten = Atomic<Int>(0)
    private let recordsFailed = Atomic<Int>(0)
    private let failedSends = Atomic<Int>(0)
    private let unreachable = Atomic<Int>(0)
    private let errorsReported = Atomic<Int>(0)
    private let refusing: RefusalFlags
    private let errorHandler: StreamErrorHandler

    /// Creates a stream sending every record to each of `destinations`.
    ///
    /// - Parameters:
    ///   - destinations: Host (IPv4 or IPv6 literal, or name) and port pairs; at least one.
    ///   - maxDatagramSize: The largest record sent, in bytes. Defaults to `65_507`, the
    ///     largest UDP payload over IPv4. Must be in 1...65535.
    ///   - errorHandler: Receives the failures of some destinations of a record that reached
    ///     others, and the first refusal of each outage. Default: a line on standard error,
    ///     at most one a second.
    /// - Throws: ``StreamError/Code/invalidConfiguration`` for no destination, a port outside
    ///   1...65535 or a bad size; ``StreamError/Code/resolveFailed`` naming a host that does
    ///   not resolve; ``StreamError/Code/openFailed`` when a socket cannot be created.
    public init(
        destinations: [HostAndPort], maxDatagramSize: Int = 65_507,
        errorHandler: StreamErrorHandler = .standardError()
    ) throws(StreamError) {
        let description = "udp://" + destinations.map(\.description).joined(separator: ",")
        guard !destinations.isEmpty else {
            throw StreamError(.invalidConfiguration, "udp://: no destination given")
        }
        guard (1...65_535).contains(maxDatagramSize) else {
            throw StreamError(
                .invalidConfiguration, "\(description): maxDatagramSize \(maxDatagramSize) is outside 1...65535")
        }
        var resolved: [Destination] = []
        do throws(StreamError) {
            for destination in destinations {
                let candidates: [SocketAddress]
                do throws(AddressError) {
                    candidates = try SocketAddress.resolve(host: destination.host, port: destination.port, kind: .datagram)
                } catch {
                    throw StreamError(error, stream: description)
                }
                var lastError: StreamError?
                for address in candidates {
                    do throws(Errno) {
                        let fd = try makeSocket(family: address.family, kind: .datagram)
                        let connected = (try? connectSocket(fd, to: address)) != nil
                        resolved.append(
                            Destination(name: destination.description, address: address, fd: fd, connected: connected))
                        lastError = nil
                        break
                    } catch {
                        lastError = StreamError(
                            .openFailed, error, stream: description, doing: "cannot create \(familyName(address.family)) socket")
                    }
                }
                if let lastError { throw lastError }
            }
            self.destinations = resolved
        } catch {
            for destination in resolved { closeDescriptor(destination.fd) }
            throw error
        }
        refusing = RefusalFlags(count: self.destinations.count)
        self.maxDatagramSize = maxDatagramSize
        self.description = description
        self.errorHandler = errorHandler
    }

    /// Creates a stream sending every record to one destination.
    ///
    /// - Parameters:
    ///   - host: An IPv4 or IPv6 literal or a host name. Defaults to `"127.0.0.1"`.
    ///   - port: The UDP port, 1...65535. Defaults to `5565`, Heka's usual UDP input port.
    ///   - maxDatagramSize: The largest record sent, in bytes. Defaults to `65_507`.
    ///   - errorHandler: As for ``init(destinations:maxDatagramSize:errorHandler:)``.
    /// - Throws: As ``init(destinations:maxDatagramSize:errorHandler:)``.
    public convenience init(
        host: String = "127.0.0.1", port: Int = 5565, maxDatagramSize: Int = 65_507,
        errorHandler: StreamErrorHandler = .standardError()
    ) throws(StreamError) {
        try self.init(
            destinations: [HostAndPort(host: host, port: port)], maxDatagramSize: maxDatagramSize,
            errorHandler: errorHandler)
    }

    deinit {
        releaseSockets()
        refusing.release()
    }

    /// The numeric address chosen for each destination, in order, e.g. `["127.0.0.1:5565"]`.
    public var resolvedAddresses: [String] {
        destinations.map(\.address.description)
    }

    /// How many individual sends to a destination failed while the record still reached
    /// another destination (see the type's documentation). Always 0 with one destination.
    public var destinationFailures: Int {
        failedSends.load(ordering: .relaxed)
    }

    /// How many times a destination reported that datagrams sent to it were not delivered,
    /// usually because nothing listens on its port (see the type's documentation). Each
    /// report stands for at least one lost datagram.
    public var unreachableReports: Int {
        unreachable.load(ordering: .relaxed)
    }

    /// Sends the record as one datagram to every destination.
    ///
    /// - Throws: ``StreamError/Code/recordTooLarge`` (naming both sizes) for a record larger
    ///   than ``maxDatagramSize``; ``StreamError/Code/writeFailed`` when every destination
    ///   refused it; ``StreamError/Code/closed`` after ``close(timeout:)``. The first two are
    ///   counted in ``StreamStatistics/recordsFailed``.
    public func write(_ record: [UInt8]) throws(StreamError) {
        guard enter() else {
            throw StreamError(.closed, "\(description): write after close")
        }
        defer { leave() }
        guard record.count <= maxDatagramSize else {
            recordsFailed.add(1, ordering: .relaxed)
            throw StreamError(
                .recordTooLarge,
                "\(description): record of \(record.count) bytes exceeds the maximum datagram size of \(maxDatagramSize) bytes; not sent"
            )
        }
        var failures: [(destination: Destination, errno: Int32)] = []
        // Through the buffer each destination is read where it lies: iterating the array
        // would copy each one (its name retained, its 128-byte address copied) per record.
        destinations.withUnsafeBufferPointer { destinations in
            for index in destinations.indices {
                if let code = send(record, to: destinations.baseAddress! + index, refusing: refusing.flags + index) {
                    failures.append((destinations[index], code))
                }
            }
        }
        if failures.count == destinations.count {
            recordsFailed.add(1, ordering: .relaxed)
            let reasons = failures.map { "\($0.destination.name): \(systemErrorMessage($0.errno))" }
            throw StreamError(
                .writeFailed,
                "\(description): cannot send a record of \(record.count) bytes to \(reasons.joined(separator: "; "))",
                errno: failures[0].errno)
        }
        recordsWritten.add(1, ordering: .relaxed)
        bytesWritten.add(record.count, ordering: .relaxed)
        guard !failures.isEmpty else { return }
        failedSends.add(failures.count, ordering: .relaxed)
        for failure in failures {
            report(
                StreamError(
                    .writeFailed,
                    "\(description): cannot send a record of \(record.count) bytes to \(failure.destination.name): \(systemErrorMessage(failure.errno)) (it reached the other destinations)",
                    errno: failure.errno))
        }
    }

    /// Sends an empty datagram, which carries no record and is not counted as one, to each
    /// destination, so that an ICMP report about datagrams already sent is heard now rather
    /// than on the next record's send: for a program about to exit that wants to know whether
    /// anyone listened. Give the report time to come back first (on loopback, microseconds).
    /// A report is counted in ``unreachableReports`` and handed to the error handler as
    /// usual. Returns how many destinations reported one; 0 after ``close(timeout:)``.
    @discardableResult
    public func probeDestinations() -> Int {
        guard enter() else { return 0 }
        defer { leave() }
        let before = unreachable.load(ordering: .relaxed)
        destinations.withUnsafeBufferPointer { destinations in
            for index in destinations.indices {
                _ = send([], to: destinations.baseAddress! + index, refusing: refusing.flags + index)
            }
        }
        return unreachable.load(ordering: .relaxed) - before
    }

    /// Does nothing: each datagram is handed to the kernel before ``write(_:)`` returns.
    public func flush(timeout: Duration) throws(StreamError) {}

    /// Makes later writes fail with ``StreamError/Code/closed`` and closes the sockets (at
    /// once, or when the last write in flight on another thread finishes). Closing twice is
    /// harmless. `timeout` is unused: nothing is pending.
    public func close(timeout: Duration) throws(StreamError) {
        let before = usage.bitwiseOr(1, ordering: .sequentiallyConsistent).oldValue
        if before == 0 { releaseSockets() }
    }

    /// Records written and failed, and the ``destinationFailures`` and
    /// ``unreachableReports`` (see the type's documentation for several destinations).
    public var statistics: StreamStatistics {
        StreamStatistics(
            recordsWritten: recordsWritten.load(ordering: .relaxed),
            bytesWritten: bytesWritten.load(ordering: .relaxed),
            recordsFailed: recordsFailed.load(ordering: .relaxed),
            errorsReported: errorsReported.load(ordering: .relaxed),
            destinationFailures: destinationFailures, unreachableReports: unreachableReports,
            errorHandlerRecursions: errorHandler.suppressedCalls)
    }

    /// Counts `error` and hands it to the error handler.
    private func report(_ error: StreamError) {
        errorsReported.add(1, ordering: .relaxed)
        errorHandler(error)
    }

    /// Sends one datagram to `destination`. A refusal reported for earlier datagrams is
    /// counted (and reported once per outage, tracked by `refusing`) and the datagram sent
    /// again. Returns `nil` or the failure's `errno`.
    private func send(
        _ record: [UInt8], to destination: UnsafePointer<Destination>, refusing: UnsafeMutablePointer<Atomic<Bool>>
    ) -> Int32? {
        guard let code = send(record, destination) else {
            if refusing.pointee.load(ordering: .relaxed) { refusing.pointee.store(false, ordering: .relaxed) }
            return nil
        }
        guard destination.pointee.connected, Self.isDeliveryReport(code) else { return code }
        // The kernel returns an ICMP report once, in place of sending this datagram. A retry
        // that fails too shows the error was this send's own (no route now, say).
        if let again = send(record, destination) { return again }
        unreachable.add(1, ordering: .relaxed)
        if !refusing.pointee.exchange(true, ordering: .relaxed) {
            report(
                StreamError(
                    .destinationUnreachable,
                    "\(description): \(destination.pointee.name) reported that datagrams sent to it were not delivered: \(systemErrorMessage(code)); records sent before this one may be lost",
                    errno: code))
        }
        return nil
    }

    /// The errors a connected UDP socket returns on a send for an ICMP report about earlier
    /// datagrams: port, host or network unreachable.
    private static func isDeliveryReport(_ code: Int32) -> Bool {
        switch Errno(rawValue: code) {
        case .connectionRefused, .noRouteToHost, .networkUnreachable, .hostIsDown: true
        default: false
        }
    }

    /// Sends one datagram (``sendBytes(_:_:dontWait:)`` retries on `EINTR`). Returns `nil` or
    /// the failure's `errno`.
    private func send(_ record: [UInt8], _ destination: UnsafePointer<Destination>) -> Int32? {
        let fd = destination.pointee.fd
        return record.withUnsafeBytes { bytes -> Int32? in
            do throws(Errno) {
                if destination.pointee.connected {
                    _ = try sendBytes(fd, bytes)
                } else {
                    try sendBytes(fd, bytes, to: UnsafeRawPointer(destination.pointer(to: \.address)!)
                        .assumingMemoryBound(to: SocketAddress.self))
                }
                return nil
            } catch {
                return error.rawValue
            }
        }
    }

    /// Registers a write in flight; `false` (and nothing registered) once closed.
    private func enter() -> Bool {
        let now = usage.add(2, ordering: .sequentiallyConsistent).newValue
        guard now & 1 == 0 else {
            leave()
            return false
        }
        return true
    }

    /// Ends a write; the last one to finish after `close` releases the sockets.
    private func leave() {
        let now = usage.subtract(2, ordering: .sequentiallyConsistent).newValue
        if now == 1 { releaseSockets() }
    }

    /// Closes the sockets, once.
    private func releaseSockets() {
        guard !socketsReleased.exchange(true, ordering: .sequentiallyConsistent) else { return }
        for destination in destinations { closeDescriptor(destination.fd) }
    }
}
