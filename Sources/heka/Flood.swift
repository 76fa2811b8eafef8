import ArgumentParser
import Foundation
import HekaClient
import HekaPlatform
import Streams

/// `heka flood`: a load generator, hekad's heka-flood for this client.
struct Flood: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Send many messages over UDP or TCP as fast as allowed, and report the rate.",
        discussion: """
            Messages go through the library's own client and stream (framed protobuf, signed \
            with --sign). Each carries a `seq` field (0, 1, 2, …) and --fields more fields; \
            its payload is padded so that the record is about --size bytes. With \
            --corrupt-percent, that share of the records (spread evenly) has its first message \
            byte replaced by an invalid protobuf tag after signing, so that any decoder rejects \
            it: `heka cat` then counts exactly that many problems.

            Over TCP, when the stream's queue is full, flood waits for room instead of dropping, \
            so every record is delivered unless the connection fails; when no record gets \
            through for --give-up-after seconds (a peer that has gone for good), it stops, \
            says so, and exits with status 1. Records the peer's kernel had not acknowledged \
            when a connection broke are sent again and shown as `resent`. On a terminal a progress \
            line shows the running count and rate; the summary is printed at the end. Exit \
            status 1 when any record failed or was dropped.

            Examples:
              heka flood --udp 127.0.0.1:5565 --count 100000
              heka flood --tcp 127.0.0.1:5565 --duration 10 --size 1000 --fields 8
              heka flood --udp 127.0.0.1:5565 --rate 5000 --sign ops:1:sesame:sha1
              heka flood --udp 127.0.0.1:5565 --count 1000 --corrupt-percent 10
            """
    )

    @Option(help: ArgumentHelp("Send over UDP to this address.", valueName: "host:port"),
        transform: Endpoint.sendable)
    var udp: Endpoint?

    @Option(help: ArgumentHelp("Send over TCP to this address.", valueName: "host:port"),
        transform: Endpoint.sendable)
    var tcp: Endpoint?

    @Option(help: "How many messages to send (default 10000, or unlimited with --duration).")
    var count: Int?

    @Option(help: "Messages per second at most (default: as fast as possible).")
    var rate: Double?

    @Option(help: "The approximate size of each record in bytes.")
    var size = 200

    @Option(help: "Fields per message besides seq (integers, doubles, strings and bools in turn).")
    var fields = 3

    @Option(help: ArgumentHelp("Sign records with HMAC.", valueName: "signer:version:key[:md5|sha1]"))
    var sign: SigningKeyArgument?

    @Option(help: "The percentage of records to corrupt on purpose (0-100).")
    var corruptPercent: Double = 0

    @Option(help: "Stop after this many seconds.")
    var duration: Double?

    @Option(help: "The message type.")
    var type = "heka.flood"

    @Option(help: ArgumentHelp(
        "Over TCP, give up when no record has reached the peer for this many seconds (while the queue is full, and at the end).",
        valueName: "seconds"))
    var giveUpAfter: Double = 30

    func validate() throws {
        guard (udp == nil) != (tcp == nil) else { throw ValidationError("give --udp HOST:PORT or --tcp HOST:PORT") }
        try udp?.checkSendable(option: "--udp")
        try tcp?.checkSendable(option: "--tcp")
        if let count, count < 0 { throw ValidationError("--count must not be negative") }
        if let rate, !(rate > 0) { throw ValidationError("--rate must be positive") }
        if let duration, !(duration > 0) { throw ValidationError("--duration must be positive") }
        guard giveUpAfter > 0 && giveUpAfter <= 86_400 else {
            throw ValidationError("--give-up-after must be positive and at most 86400")
        }
        guard (0...65_000).contains(size) else { throw ValidationError("--size must be within 0-65000") }
        guard (0...1000).contains(fields) else { throw ValidationError("--fields must be within 0-1000") }
        guard (0...100).contains(corruptPercent) else { throw ValidationError("--corrupt-percent must be within 0-100") }
        _ = try sign?.validated()
    }

    func run() throws {
        let stream: any HekaStream
        let target: String
        if let udp {
            stream = try UdpStream(host: udp.host, port: udp.port)
            target = "udp \(udp)"
        } else if let tcp {
            stream = try TcpStream(host: tcp.host, port: tcp.port)
            target = "tcp \(tcp)"
        } else {
            return
        }
        let failures = FailureLog(command: "flood")
        let client = HekaClient(stream: stream, encoder: ProtobufEncoder(signer: try sign?.validated()),
                                logger: "heka-flood", errorHandler: failures.handler)
        let generator = FloodGenerator(client: client, type: type, fields: fields, size: size)
        let limit = count ?? (duration == nil ? 10_000 : Int.max)
        let progress = standardErrorIsTerminal ? ProgressLine() : nil
        InterruptSignals.install()

        let clock = ContinuousClock()
        let start = clock.now
        let deadline = duration.map { start + .milliseconds(Int64($0 * 1000)) }
        let queueLimit = (stream as? TcpStream)?.queueCapacity
        let patience = Duration.milliseconds(Int64(giveUpAfter * 1000))
        var stalled = false
        var sent = 0, corrupted = 0
        while sent < limit && !InterruptSignals.requested && !stalled {
            if sent & 255 == 0, let deadline, clock.now >= deadline { break }
            if let rate {
                let due = start + .nanoseconds(Int64(Double(sent) / rate * 1e9))
                let wait = clock.now.duration(to: due)
                if wait > .zero { Thread.sleep(forTimeInterval: wait.seconds) }
            }
            if let queueLimit {
                stalled = !waitForRoom(in: stream, below: queueLimit, patience: patience)
                if stalled { break }
            }
            let corrupt = Int(Double(sent + 1) * corruptPercent / 100) > Int(Double(sent) * corruptPercent / 100)
            generator.send(sequence: sent, corrupt: corrupt, failures: failures)
            if corrupt { corrupted += 1 }
            sent += 1
            if sent & 1023 == 0 { progress?.show(sent: sent, bytes: stream.statistics.bytesWritten, since: start) }
        }
        let closed = client.close(timeout: stalled ? .zero : patience)
        let elapsed = start.duration(to: clock.now)
        progress?.clear()
        let statistics = stream.statistics
        let seconds = max(elapsed.seconds, 1e-9)
        print("""
            target     \(target)
            sent       \(statistics.recordsWritten) records, \(statistics.bytesWritten) bytes, \
            about \(generator.recordSize) bytes each
            corrupted  \(corrupted) on purpose
            failed     \(statistics.recordsFailed) records
            dropped    \(statistics.recordsDropped) records
            resent     \((stream as? TcpStream)?.recordsResent ?? 0) records
            elapsed    \(String(format: "%.3f", seconds)) s
            rate       \(Int(Double(statistics.recordsWritten) / seconds)) messages/s, \
            \(String(format: "%.2f", Double(statistics.bytesWritten) / seconds / 1e6)) MB/s
            """)
        if stalled {
            printError("heka flood: gave up: no record reached \(target) for \(String(format: "%g", giveUpAfter)) s "
                + "(the peer is gone or does not read); the records still queued were dropped")
        }
        if stalled || !closed || failures.count > 0 || statistics.recordsFailed > 0 || statistics.recordsDropped > 0 {
            throw ExitCode.failure
        }
    }

    /// Waits until fewer than `limit` records are queued; `false` when no record was sent for
    /// `patience` meanwhile (or an interrupt came).
    private func waitForRoom(in stream: any HekaStream, below limit: Int, patience: Duration) -> Bool {
        let clock = ContinuousClock()
        var written = stream.statistics.recordsWritten
        var lastProgress = clock.now
        while true {
            let statistics = stream.statistics
            if statistics.recordsQueued < limit { return true }
            if InterruptSignals.requested { return true }
            if statistics.recordsWritten != written {
                written = statistics.recordsWritten
                lastProgress = clock.now
            } else if lastProgress.duration(to: clock.now) >= patience {
                return false
            }
            Thread.sleep(forTimeInterval: 0.000_1)
        }
    }
}
