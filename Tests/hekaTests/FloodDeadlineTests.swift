import LoopbackSupport
import Testing

/// `heka flood --tcp` to a peer that has gone for good gives up at its deadline.
@Suite struct FloodDeadlineTests {
    @Test("flood --tcp to a port nobody listens on gives up after --give-up-after, says so, and exits 1")
    func givesUpOnAGonePeer() throws {
        let nobody = try ReservedPort()
        // More than the stream's queue holds, so that flood must wait for room.
        let result = try runHeka(["flood", "--tcp", "127.0.0.1:\(nobody.port)", "--count", "20000",
                                  "--give-up-after", "1"])
        #expect(result.status == 1)
        #expect(result.stderr.contains(
            "heka flood: gave up: no record reached tcp 127.0.0.1:\(nobody.port) for 1 s"), "\(result.stderr)")
        let summary = String(decoding: result.stdout, as: UTF8.self)
        #expect(summary.contains("dropped    10000 records"), "\(summary)")
    }
}
