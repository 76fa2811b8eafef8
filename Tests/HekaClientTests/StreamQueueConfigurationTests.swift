import Foundation
import Streams
import Testing

@testable import HekaClient

/// `stream_queue_capacity` for the standard-output and file streams, whose writer threads
/// queue records as the TCP stream's does.
@Suite struct StreamQueueConfigurationTests {
    @Test("stream_queue_capacity sets the stdout and file streams' queue; default 10000; shown when not the default")
    func queueCapacity() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("heka-queue-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("app.heka").path

        let file = try load("[heka]\nstream_class = file\nstream_filepath = \(path)\nstream_queue_capacity = 50\n")
        #expect(file.stream == .file(path: path, queueCapacity: 50))
        #expect(file.stream.description == "file filepath=\(path) queue_capacity=50")
        let fileStream = try #require(try file.stream.makeStream() as? FileStream)
        #expect(fileStream.queueCapacity == 50)
        try fileStream.close()

        let standardOutput = try load("[heka]\nstream_class = stdout\nstream_queue_capacity = 7\n")
        #expect(standardOutput.stream == .standardOutput(queueCapacity: 7))
        #expect((try standardOutput.stream.makeStream() as? StdOutStream)?.queueCapacity == 7)

        let defaults = try load("[heka]\nstream_class = file\nstream_filepath = \(path)\n")
        #expect(defaults.stream == .file(path: path))
        #expect(defaults.stream.description == "file filepath=\(path)")
        #expect(try load("[heka]\n").stream == .standardOutput)
    }

    @Test("a queue capacity below 1 is refused, naming the key")
    func nonPositiveRefused() {
        let error = #expect(throws: ConfigurationError.self) {
            try load("[heka]\nstream_class = stdout\nstream_queue_capacity = 0\n")
        }
        #expect(error?.key == "stream_queue_capacity" && error?.line == 3)
    }
}
