import HekaClient
import HekaRaven
import Streams

/// One operation run many times untimed, for a profiler: `valgrind --tool=callgrind
/// --collect-atstart=no --toggle-collect='*ProfileLoop*' heka-bench --profile encode`
/// counts the instructions of the loop alone.
enum ProfileLoop {
    static let names = ["encode", "encode-hmac", "json", "heka-capture", "heka-udp", "heka-runtime", "incr", "raven-warm"]

    static func run(_ name: String, count: Int) throws {
        let sink = try LoopbackSink()
        let capture = HekaClient(stream: DebugCaptureStream())
        let udp = HekaClient(stream: try UdpStream(host: "127.0.0.1", port: sink.port))
        let message = Workload.message(capture)
        let operation: () -> Void
        switch name {
        case "encode":
            let encoder = ProtobufEncoder()
            operation = { keep(try? encoder.encode(message)) }
        case "encode-hmac":
            let encoder = ProtobufEncoder(signer: try HMACSigner(signer: "bench", keyVersion: 1, key: "a-signing-key"))
            operation = { keep(try? encoder.encode(message)) }
        case "json":
            let encoder = JSONLinesEncoder()
            operation = { keep(try? encoder.encode(message)) }
        case "heka-capture": operation = { ClientScenarios.heka(capture) }
        case "heka-udp": operation = { ClientScenarios.heka(udp) }
        case "heka-runtime": operation = { ClientScenarios.hekaWithRuntimeValues(capture) }
        case "incr": operation = { udp.incr("requests") }
        case "raven-warm":
            // Every capture from one call site (the loop's): the first is symbolicated in
            // the background, and waited for.
            var first = true
            operation = {
                _ = RavenScenario.descend(udp, depth: RavenScenario.depth)
                if first { udp.flush() }
                first = false
            }
        default:
            throw BenchError("no profile named \(name); known: \(names.joined(separator: ", "))")
        }
        loop(count, operation)
        udp.flush()
    }

    @inline(never) @_optimize(none)
    static func loop(_ count: Int, _ operation: () -> Void) {
        // Unoptimised so that it stays one function for the profiler; a while loop of
        // transparent operators costs next to nothing even so.
        var done = 0
        while done < count {
            operation()
            done &+= 1
        }
    }
}
