import Streams

/// Which stream a configured client writes to, and its settings.
///
/// INI: `stream_class` in the client section, plus `stream_*` keys for its settings
/// (`stream_host`, `stream_port`, `stream_filepath`, …); a dictionary's `stream` table
/// holds `class` and the settings. The class may be this project's short name or heka-py's
/// Python name: `stdout` (`heka.streams.StdOutStream`), `file` (`heka.streams.FileStream`),
/// `udp` (`heka.streams.UdpStream`), `tcp` (`heka.streams.TcpStream`), `debug`
/// (`heka.streams.DebugCaptureStream`). Older heka-py's senders name the same streams:
/// `sender_class = heka.senders.StdOutSender` (`FileSender`, `UdpSender`,
/// `DebugCaptureSender`) with `sender_*` keys in place of `stream_*` ones.
public struct StreamConfiguration: Sendable, Hashable, CustomStringConvertible {
    /// One UDP destination: the streams' `HostAndPort`.
    public typealias Destination = HostAndPort

    enum Kind: Sendable, Hashable {
        case standardOutput(queueCapacity: Int)
        case file(path: String, queueCapacity: Int)
        case udp(destinations: [Destination], maxDatagramSize: Int)
        case tcp(host: String, port: Int, queueCapacity: Int)
        case debugCapture(capacity: Int)
    }

    let kind: Kind
    /// The section the stream's keys were read from, if they were: where an error that
    /// only shows when the stream is opened points. Not part of the value (`==`, hashing).
    var origin: ConfigurationSection?

    /// The queue limit of the standard-output, file and TCP streams unless one is given.
    public static let defaultQueueCapacity = 10_000

    /// `StdOutStream`: JSON lines on standard output unless an encoder is chosen or an HMAC
    /// key signs the records (then framed protobuf). The default when no `stream_class` is
    /// given. INI: `stream_class = stdout`.
    public static let standardOutput = standardOutput(queueCapacity: defaultQueueCapacity)

    /// `StdOutStream` whose writer thread holds at most `queueCapacity` records pending.
    /// INI: `stream_class = stdout`, `stream_queue_capacity` (default 10000).
    public static func standardOutput(queueCapacity: Int) -> StreamConfiguration {
        StreamConfiguration(kind: .standardOutput(queueCapacity: queueCapacity))
    }

    /// `FileStream` appending to `path`. INI: `stream_class = file`, `stream_filepath`
    /// (required; `stream_path` is accepted too), `stream_queue_capacity` (the most records
    /// pending for its writer thread; default 10000).
    public static func file(path: String, queueCapacity: Int = defaultQueueCapacity) -> StreamConfiguration {
        StreamConfiguration(kind: .file(path: path, queueCapacity: queueCapacity))
    }

    /// `UdpStream` to one destination. INI: `stream_class = udp`, `stream_host`,
    /// `stream_port` (both required), `stream_max_datagram_size` (default 65507).
    public static func udp(host: String, port: Int, maxDatagramSize: Int = 65_507) -> StreamConfiguration {
        udp(destinations: [Destination(host: host, port: port)], maxDatagramSize: maxDatagramSize)
    }

    /// `UdpStream` to several destinations. INI: `stream_host` and `stream_port` as lists
    /// (indented continuation lines); hosts beyond the last port reuse that port.
    public static func udp(destinations: [Destination], maxDatagramSize: Int = 65_507) -> StreamConfiguration {
        StreamConfiguration(kind: .udp(destinations: destinations, maxDatagramSize: maxDatagramSize))
    }

    /// `TcpStream`. INI: `stream_class = tcp`, `stream_host`, `stream_port` (both
    /// required), `stream_queue_capacity` (default 10000).
    public static func tcp(host: String, port: Int, queueCapacity: Int = 10_000) -> StreamConfiguration {
        StreamConfiguration(kind: .tcp(host: host, port: port, queueCapacity: queueCapacity))
    }

    /// `DebugCaptureStream` keeping the last `capacity` records in memory, for tests.
    /// INI: `stream_class = debug`, `stream_capacity` (default 100).
    public static func debugCapture(capacity: Int = 100) -> StreamConfiguration {
        StreamConfiguration(kind: .debugCapture(capacity: capacity))
    }

    /// The stream classes, by the name `stream_class` takes.
    enum Class: String, ConfigurationChoice {
        case stdout, file, udp, tcp, debug

        static var hekaPyNames: [(choice: Class, names: [String])] { HekaPyNames.streamClasses }
    }

    /// The stream's class.
    var streamClass: Class {
        switch kind {
        case .standardOutput: .stdout
        case .file: .file
        case .udp: .udp
        case .tcp: .tcp
        case .debugCapture: .debug
        }
    }

    /// The short class name, as `stream_class` takes it.
    public var className: String { streamClass.rawValue }

    /// The settings as `stream_*` keys would give them (without `class`).
    var settings: [(key: String, value: String)] {
        switch kind {
        case .standardOutput(let capacity): return Self.queueSetting(capacity)
        case .file(let path, let capacity): return [("filepath", path)] + Self.queueSetting(capacity)
        case .udp(let destinations, let size):
            return [("host", destinations.map(\.host).joined(separator: "\n")),
                    ("port", destinations.map { String($0.port) }.joined(separator: "\n")),
                    ("max_datagram_size", String(size))]
        case .tcp(let host, let port, let capacity):
            return [("host", host), ("port", String(port)), ("queue_capacity", String(capacity))]
        case .debugCapture(let capacity): return [("capacity", String(capacity))]
        }
    }

    /// `queue_capacity` for a standard-output or file stream, when not the default.
    private static func queueSetting(_ capacity: Int) -> [(key: String, value: String)] {
        capacity == defaultQueueCapacity ? [] : [("queue_capacity", String(capacity))]
    }

    /// `udp 127.0.0.1:5565`, …
    public var description: String {
        ([className] + settings.map { "\($0.key)=\($0.value.replacingNewlines)" }).joined(separator: " ")
    }

    public static func == (lhs: StreamConfiguration, rhs: StreamConfiguration) -> Bool { lhs.kind == rhs.kind }

    public func hash(into hasher: inout Hasher) { hasher.combine(kind) }

    /// Opens the stream (resolving hosts, opening files).
    ///
    /// - Parameter errorHandler: where the stream reports what it finds after a write
    ///   returned (the writer threads of the standard-output, file and TCP streams, UDP
    ///   destinations; the debug capture stream throws every error from `write`).
    public func makeStream(errorHandler: StreamErrorHandler = .standardError()) throws(StreamError) -> any HekaStream {
        switch kind {
        case .standardOutput(let capacity): return StdOutStream(queueCapacity: capacity, errorHandler: errorHandler)
        case .file(let path, let capacity): return try FileStream(path: path, queueCapacity: capacity, errorHandler: errorHandler)
        case .udp(let destinations, let size):
            return try UdpStream(destinations: destinations, maxDatagramSize: size, errorHandler: errorHandler)
        case .tcp(let host, let port, let capacity):
            return try TcpStream(host: host, port: port, queueCapacity: capacity, errorHandler: errorHandler)
        case .debugCapture(let capacity): return DebugCaptureStream(capacity: capacity)
        }
    }
}

extension StreamConfiguration {
    /// Reads a stream section: `class` and the class's settings, every other key refused.
    init(section: ConfigurationSection) throws(ConfigurationError) {
        guard let written = try section.string("class") else {
            self = .standardOutput
            try section.rejectUnknownKeys(accepting: ["class"], in: "the default stdout stream")
            return
        }
        guard let streamClass = Class(configured: written) else {
            throw section.error(.unknownProvider, "unknown stream class \"\(written)\"; known: " + Class.known,
                                key: "class")
        }
        let portRange = HostAndPort.sendablePorts
        switch streamClass {
        case .file:
            try section.rejectUnknownKeys(accepting: ["class", "filepath", "path", "queue_capacity"], in: "the file stream")
            let filepath = try section.string("filepath")
            let path = try section.string("path")
            guard let path = filepath ?? path else {
                throw section.error(.missingKey, "the file stream needs stream_filepath", key: "filepath")
            }
            guard !path.isEmpty else {
                throw section.error(.invalidValue, "the file's path is empty", key: filepath == nil ? "path" : "filepath")
            }
            self = .file(path: path, queueCapacity: try Self.queueCapacity(in: section))
        case .udp:
            try section.rejectUnknownKeys(accepting: ["class", "host", "port", "max_datagram_size"], in: "the UDP stream")
            guard let hosts = try section.strings("host"), !hosts.isEmpty else {
                throw section.error(.missingKey, "the UDP stream needs stream_host", key: "host")
            }
            guard !hosts.contains(where: \.isEmpty) else { throw section.error(.invalidValue, "the host is empty", key: "host") }
            guard let ports = try section.integers("port", in: portRange), let lastPort = ports.last else {
                throw section.error(.missingKey, "the UDP stream needs stream_port", key: "port")
            }
            // heka-py's rule: extra hosts reuse the last port; extra ports are ignored.
            let destinations = hosts.enumerated().map { Destination(host: $1, port: $0 < ports.count ? ports[$0] : lastPort) }
            self = .udp(destinations: destinations,
                        maxDatagramSize: try section.integer("max_datagram_size", in: portRange) ?? 65_507)
        case .tcp:
            try section.rejectUnknownKeys(accepting: ["class", "host", "port", "queue_capacity"], in: "the TCP stream")
            guard let hosts = try section.strings("host"), let host = hosts.first else {
                throw section.error(.missingKey, "the TCP stream needs stream_host", key: "host")
            }
            guard !host.isEmpty else { throw section.error(.invalidValue, "the host is empty", key: "host") }
            guard hosts.count == 1 else {
                throw section.error(.invalidValue, "the TCP stream sends to one host; found \(hosts.count)", key: "host")
            }
            guard let port = try section.integer("port", in: portRange) else {
                throw section.error(.missingKey, "the TCP stream needs stream_port", key: "port")
            }
            self = .tcp(host: host, port: port, queueCapacity: try Self.queueCapacity(in: section))
        case .debug:
            try section.rejectUnknownKeys(accepting: ["class", "capacity"], in: "the debug capture stream")
            self = .debugCapture(capacity: try section.integer("capacity", in: 1...Int.max) ?? 100)
        case .stdout:
            try section.rejectUnknownKeys(accepting: ["class", "queue_capacity"], in: "the stdout stream")
            self = .standardOutput(queueCapacity: try Self.queueCapacity(in: section))
        }
        origin = section
    }

    /// `queue_capacity`: a positive number of records, 10000 when absent.
    private static func queueCapacity(in section: ConfigurationSection) throws(ConfigurationError) -> Int {
        try section.integer("queue_capacity", in: 1...Int.max) ?? defaultQueueCapacity
    }
}

extension StreamConfiguration {
    /// The error for a stream that `makeStream` could not open, at the key that names what
    /// failed (a file's path, a host that does not resolve; else the class), in the file and
    /// on the line the key was read from when it was.
    func unavailable(_ error: StreamError, section: String) -> ConfigurationError {
        var key = "class"
        switch streamClass {
        case .file: key = origin?.entry("filepath") == nil && origin?.entry("path") != nil ? "path" : "filepath"
        case .udp, .tcp: if error.code == .resolveFailed { key = "host" }
        case .stdout, .debug: break
        }
        let message = "cannot open the stream: \(error.message)"
        guard let origin else { return ConfigurationError(.streamUnavailable, message, section: section, key: "stream_" + key) }
        return origin.error(.streamUnavailable, message, key: key)
    }
}

extension String {
    /// The text with line ends shown as `,` (for one-line descriptions of lists).
    var replacingNewlines: String { split(separator: "\n").joined(separator: ",") }
}
