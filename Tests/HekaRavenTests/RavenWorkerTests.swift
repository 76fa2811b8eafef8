import HekaClient
import Streams
import Synchronization
import Testing

@testable import HekaRaven

/// The errors a client reported, in order.
final class ReportedErrors: Sendable {
    private let errors = Mutex<[SendError]>([])
    var all: [SendError] { errors.withLock { $0 } }
    var handler: ErrorHandler { ErrorHandler { error in self.errors.withLock { $0.append(error) } } }
}

@Suite struct RavenWorkerTests {
    @Test("a new call path is finished by the worker and delivered by flush; the next capture there is sent at once")
    func newPathThenKnownPath() throws {
        let stream = DebugCaptureStream()
        let client = HekaClient(stream: stream, logger: "shop")
        let worker = RavenWorker(capacity: 4, paused: true)
        var ids: [String] = []
        for round in 0..<2 {
            // One call site for both rounds: the second finds the first's frames cached.
            ids.append(client.capture("round", error: nil, extra: [:], tags: [:], worker: worker))
            if round == 0 {
                #expect(stream.count == 0)  // queued: the paused worker has not symbolicated it
                worker.resume()
                #expect(client.flush(timeout: .symbolication))
                #expect(stream.count == 1)
            }
        }
        #expect(stream.count == 2)  // the second was sent before capture returned, without a flush
        let sent = stream.records.compactMap { record -> String? in
            guard case .record(let decoded)? = RecordDecoder.decodeAll(record).first else { return nil }
            return hexString(withUnsafeBytes(of: decoded.message.uuid.uuid) { Array($0) })
        }
        #expect(sent == ids)
        let frames = try frames(of: try sentryEvent(of: try #require(stream.lastMessage)))
        #expect((frames.last?["function"] as? String)?.contains("newPathThenKnownPath") == true)
        #expect(client.statistics.messagesSent == 2 && client.statistics.messagesFailed == 0)
    }

    @Test("a capture that finds the worker's queue full is dropped, counted and reported; the queued ones are delivered")
    func fullQueueDrops() throws {
        let stream = DebugCaptureStream()
        let reported = ReportedErrors()
        let client = HekaClient(stream: stream, errorHandler: reported.handler)
        let worker = RavenWorker(capacity: 2, paused: true)
        for index in 0..<3 {
            _ = client.capture("capture \(index)", error: nil, extra: [:], tags: [:], worker: worker)
        }
        #expect(client.statistics.messagesFailed == 1)
        #expect(reported.all.map(\.code) == [.dropped])
        #expect(reported.all.first?.messageType == "stacktrace")
        #expect((reported.all.first?.underlying as? StreamError)?.code == .queueFull)
        worker.resume()
        #expect(client.flush(timeout: .symbolication))
        #expect(stream.count == 2)
        #expect(stream.records.compactMap { record -> String? in
            guard case .record(let decoded)? = RecordDecoder.decodeAll(record).first else { return nil }
            return decoded.message.field("msg")?.string
        } == ["capture 0", "capture 1"])
        #expect(client.statistics.messagesSent == 2)
    }

    @Test("flush gives up at its timeout while a capture is still waiting, and says so")
    func flushTimesOut() throws {
        let reported = ReportedErrors()
        let client = HekaClient(stream: DebugCaptureStream(), errorHandler: reported.handler)
        let worker = RavenWorker(capacity: 1, paused: true)
        _ = client.capture("waiting", error: nil, extra: [:], tags: [:], worker: worker)
        #expect(!client.flush(timeout: .milliseconds(10)))
        #expect(reported.all.map(\.code) == [.flushFailed])
        #expect((reported.all.first?.underlying as? StreamError)?.code == .timedOut)
        worker.resume()
        #expect(client.close(timeout: .symbolication))
        #expect(client.statistics.messagesSent == 1)
    }

    @Test("a client's flush waits for its own captures and those queued before them, not for later ones")
    func flushIsPerClient() throws {
        let worker = RavenWorker(capacity: 8, paused: true)
        let first = HekaClient(stream: DebugCaptureStream(), errorHandler: .ignore)
        let second = HekaClient(stream: DebugCaptureStream(), errorHandler: .ignore)
        let idle = HekaClient(stream: DebugCaptureStream(), errorHandler: .ignore)
        _ = first.capture("first", error: nil, extra: [:], tags: [:], worker: worker)
        _ = second.capture("second", error: nil, extra: [:], tags: [:], worker: worker)
        _ = second.capture("second again", error: nil, extra: [:], tags: [:], worker: worker)
        // Nothing is processed while paused: each wait says what it waits for.
        #expect(waiting(worker, first) == "raven: 1 captures")
        #expect(waiting(worker, second) == "raven: 3 captures")
        // A client with nothing queued is not held up by the others' captures.
        #expect(idle.flush(timeout: .milliseconds(10)))
        worker.resume()
        #expect(first.flush(timeout: .symbolication) && second.flush(timeout: .symbolication))
        #expect(first.statistics.messagesSent == 1 && second.statistics.messagesSent == 2)
    }

    /// The start of the error `finish` throws for `client` after a short wait.
    private func waiting(_ worker: RavenWorker, _ client: HekaClient) -> String? {
        do {
            try worker.finish(for: client, timeout: .milliseconds(10))
            return nil
        } catch {
            return error.message.components(separatedBy: " (").first
        }
    }
}
