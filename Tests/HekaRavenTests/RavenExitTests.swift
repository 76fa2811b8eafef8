import HekaClient
import Streams
import Testing

@testable import HekaRaven

@Suite struct RavenExitTests {
    @Test("at exit, captures still queued after the wait are dropped, counted and reported, and none is sent later")
    func dropsWhatIsLeft() throws {
        let stream = DebugCaptureStream()
        let reported = ReportedErrors()
        let client = HekaClient(stream: stream, errorHandler: reported.handler)
        let worker = RavenWorker(capacity: 4, paused: true)
        for index in 0..<2 {
            _ = client.capture("capture \(index)", error: nil, extra: [:], tags: [:], worker: worker)
        }
        #expect(worker.finishAtExit(timeout: .milliseconds(10)) == 2)
        #expect(client.statistics.messagesFailed == 2)
        #expect(reported.all.map(\.code) == [.dropped, .dropped])
        #expect((reported.all.first?.underlying as? StreamError)?.code == .timedOut)
        // Nothing is accepted or sent afterwards; flush does not wait for what was dropped.
        worker.resume()
        _ = client.capture("late", error: nil, extra: [:], tags: [:], worker: worker)
        #expect(client.statistics.messagesFailed == 3)
        #expect(client.flush(timeout: .symbolication))
        #expect(stream.count == 0)
    }

    @Test("at exit, the captures queued are sent when they finish within the wait")
    func finishesPending() throws {
        let stream = DebugCaptureStream()
        let client = HekaClient(stream: stream, logger: "shop")
        let worker = RavenWorker(capacity: 4)
        for index in 0..<2 {
            _ = client.capture("capture \(index)", error: nil, extra: [:], tags: [:], worker: worker)
        }
        #expect(worker.finishAtExit(timeout: .symbolication) == 0)
        #expect(stream.count == 2 && client.statistics.messagesFailed == 0)
    }
}
