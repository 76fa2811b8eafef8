import ArgumentParser
import Foundation
import HekaClient

/// `heka send`: one message (or one per input line) through the configured client.
struct Send: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Send a message through the configured stream, or to a UDP or TCP address.",
        discussion: """
            The payload is the argument, or standard input for `-` (one trailing newline is \
            dropped; with --lines each line is a message of its own). Fields are typed as \
            heka.ini values are: `--field status=200` is an integer, `--field ok=yes` a bool, \
            anything else a string. `--field code:=200` keeps a string; `--field ms:double=1.5`, \
            `:int`, `:bool`, `:bytes` (hex) and `:string` name the type. Repeating a name makes \
            one field of several values.

            Nothing is printed when the message is sent; a failure is printed and the exit \
            status is 1. Over UDP, a destination that answers that nothing listens on its port \
            is a failure too (the answer is awaited for up to 50 ms after the last message).

            Examples:
              heka send "disk /var is 91% full" --severity warning
              heka send --udp 127.0.0.1:5565 --type deploy --field version:=2.1 done
              echo "hello" | heka send --tcp hekad.internal:5565 -
              tail -f app.log | heka send --lines --logger app --udp 127.0.0.1:5565 -
              heka send --config /etc/heka.ini --sign ops:1:sesame "signed payload"
            """
    )

    @OptionGroup var source: ConfigurationOptions
    @OptionGroup var destination: DestinationOptions

    @Option(help: "The message type.")
    var type = "heka.send"

    @Option(help: "The logger (default: the configuration's, else heka-send).")
    var logger: String?

    @Option(help: ArgumentHelp("The severity: \(SeverityArgument.accepted). Default: the configuration's, else 6.",
                               valueName: "severity"), transform: SeverityArgument.parse)
    var severity: Severity?

    @Option(name: .customLong("field"), help: ArgumentHelp(
        "A field: name=value (typed as in heka.ini), name:=value (a string), name:type=value.",
        valueName: "name[:type]=value"))
    var fields: [FieldArgument] = []

    @Flag(help: "Send each line of the payload as a message of its own (empty lines are skipped).")
    var lines = false

    @Argument(help: "The payload, or - to read it from standard input.")
    var payload: String?

    func validate() throws {
        if payload == nil && !lines {
            throw ValidationError("give the payload, or - to read it from standard input (\"\" sends an empty one)")
        }
        _ = try FieldArgument.fields(fields)
    }

    func run() throws {
        var configuration = try destination.applied(
            to: try source.load(default: HekaConfiguration(logger: "heka-send")))
        if let logger { configuration.logger = logger }
        if configuration.logger.isEmpty { configuration.logger = "heka-send" }
        if let severity { configuration.severity = severity }
        let failures = FailureLog(command: "send")
        let client = try HekaClient(configuration: configuration, errorHandler: failures.handler)
        let messageFields = Fields(try FieldArgument.fields(fields))
        let send = { (text: String) in client.heka(type: type, payload: text, fields: messageFields) }
        switch (payload ?? "", lines) {
        case ("-", true):
            Self.forEachLine(of: .standardInput, send) { number, offset in
                failures.record("line \(number) at byte \(offset) is longer than \(Self.maxLineLength) bytes; skipped")
            }
        case ("-", false):
            let input = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
            send(input.hasSuffix("\n") ? String(input.dropLast()) : input)
        case (let text, true): text.split(separator: "\n").forEach { send(String($0)) }
        case (let text, false): send(text)
        }
        let undelivered = UdpDeliveryCheck.problem(client: client, failures: failures,
                                                   what: lines ? "the messages" : "the message")
        client.close()
        if let undelivered { printError(undelivered) }
        if failures.count > 0 || undelivered != nil { throw ExitCode.failure }
    }

    /// The longest line `--lines` reads from standard input: the JSON-lines decoder's limit,
    /// well over what one message can carry.
    static let maxLineLength = JSONLinesDecoder.defaultMaxLineLength

    /// Calls `body` with each non-empty line of `file` as it arrives (without its `\n` or
    /// `\r\n`), and with a last line that has no newline; a line longer than `maxLineLength`
    /// goes to `tooLong` (its number and byte offset) and is skipped. Linear in the input,
    /// memory bounded by the limit.
    static func forEachLine(of file: FileHandle, maxLineLength: Int = Self.maxLineLength,
                            _ body: (String) -> Void, tooLong: (_ number: Int, _ offset: Int) -> Void) {
        var lines = LineSplitter(maxLineLength: maxLineLength)
        func emit(_ line: LineSplitter.Line) {
            switch line {
            case .line(let bytes, _, _):
                let trimmed = bytes.last == UInt8(ascii: "\r") ? bytes.dropLast() : bytes
                if !trimmed.isEmpty { body(String(decoding: trimmed, as: UTF8.self)) }
            case .tooLong(let number, let offset): tooLong(number, offset)
            }
        }
        while true {
            let chunk = file.availableData
            if chunk.isEmpty { break }
            lines.append(chunk)
            while let line = lines.next() { emit(line) }
        }
        if let last = lines.finish() { emit(last) }
    }
}
