import HekaClient
import Streams

/// Scenarios 3, 4 and 5: whole client calls, into memory and over loopback UDP.
enum ClientScenarios {
    /// heka-py 0.30.3 on Python 3, this kind of machine.
    static let hekaPyHeka = 18_000.0
    static let hekaPyIncr = 15_000.0

    static func run(_ timing: Timing) throws -> [ScenarioResult] {
        let capture = HekaClient(stream: DebugCaptureStream())
        let sink = try LoopbackSink()
        let udp = HekaClient(stream: try UdpStream(host: "127.0.0.1", port: sink.port))
        let floor = try BareSender(to: sink, connected: false)
        let connectedFloor = try BareSender(to: sink, connected: true)
        let record = try ProtobufEncoder().encode(Workload.message(udp))
        let samples = timing.interleaved([
            { count in for _ in 0..<count { heka(capture) } },
            { count in for _ in 0..<count { heka(udp) } },
            { count in floor.send(record, count: count) },
            { count in connectedFloor.send(record, count: count) },
            { count in for _ in 0..<count { udp.incr("requests") } },
            { count in for _ in 0..<count { hekaWithRuntimeValues(capture) } },
        ])
        let (debug, overUDP, bare, bareConnected, incr) = (
            samples[0].median, samples[1].median, samples[2].median, samples[3].median, samples[4].median
        )
        let runtime = samples[5].median
        let sent = udp.statistics
        return [
            ScenarioResult(
                id: "3", name: "heka() into DebugCaptureStream", medianNanoseconds: debug, target: "≤ 600 ns",
                met: debug <= 600, hekaPyNanoseconds: hekaPyHeka),
            ScenarioResult(
                id: "4", name: "heka() over UDP (loopback)", medianNanoseconds: overUDP, reference: "sendto floor",
                ratio: bare / overUDP, target: "≥ 0.8 × floor's rate", met: bare / overUDP >= 0.8,
                hekaPyNanoseconds: hekaPyHeka,
                note: "\(sent.messagesSent) sent, \(sent.messagesFailed) failed; the floors send the same \(record.count)-byte record; "
                    + "against the connected floor (sent the way UdpStream sends) heka() runs at \(Report.fixed(bareConnected / overUDP, 2)) × its rate"),
            ScenarioResult(id: "4-floor", name: "bare sendto loop, same bytes", medianNanoseconds: bare),
            ScenarioResult(
                id: "4-send", name: "bare send loop, connected socket, same bytes", medianNanoseconds: bareConnected,
                reference: "sendto floor", ratio: bare / bareConnected),
            ScenarioResult(id: "5", name: "incr() over UDP", medianNanoseconds: incr, hekaPyNanoseconds: hekaPyIncr),
            ScenarioResult(
                id: "3-runtime", name: "heka() into DebugCaptureStream, runtime values", medianNanoseconds: runtime,
                reference: "3", ratio: debug / runtime,
                note: "the same five fields from variables: the boxed overload's cost over (3)'s literal"),
        ]
    }

    /// The call as a program writes it: the fields literal is part of the cost.
    @inline(never)
    static func heka(_ client: HekaClient) {
        client.heka(type: Workload.type, payload: Workload.payload, fields: Workload.fields())
    }

    /// The same call with the five values in variables, as a program usually has them: the
    /// `KeyValuePairs<String, any FieldValueConvertible>` overload.
    @inline(never)
    static func hekaWithRuntimeValues(_ client: HekaClient) {
        let values = Workload.runtimeValues
        client.heka(type: Workload.type, payload: Workload.payload,
                    fields: ["user": values.user, "route": values.route, "status": values.status,
                             "elapsed_ms": values.elapsedMs, "cached": values.cached])
    }
}
