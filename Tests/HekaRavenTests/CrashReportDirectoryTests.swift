import Foundation
import HekaClient
import LoopbackSupport
import Streams
import Testing

@testable import HekaRaven

/// The crash-reports setting, and the claims that make each report sent once.
@Suite struct CrashReportDirectoryTests {
    @Test("crash_reports is read from the raven section, printed back, and loads again")
    func setting() throws {
        let text = "[heka]\nstream_class = heka.streams.DebugCaptureStream\n"
            + "[heka_plugin_raven]\nprovider = raven\ncrash_reports = /var/lib/shop/crashes\n"
        let configuration = try HekaConfiguration(iniText: text, environment: [:], registry: ravenRegistry)
        let plugin = try #require(configuration.plugins.first?.plugin as? RavenPlugin)
        #expect(plugin == RavenPlugin(crashReports: "/var/lib/shop/crashes"))
        let printed = configuration.iniText()
        #expect(printed.contains("crash_reports = /var/lib/shop/crashes"))
        let again = try HekaConfiguration(iniText: printed, environment: [:], registry: ravenRegistry)
        #expect(again.plugins.first?.plugin as? RavenPlugin == plugin)
    }

    @Test("a claim left by a process that is gone is taken back and sent; a live process's claim is left alone")
    func abandonedClaims() throws {
        let directory = try CrashingProgram.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        for _ in 0..<2 { _ = try CrashingProgram.run(["nil"], reportsInto: directory) }
        let names = CrashingProgram.files(in: directory)
        try #require(names.count == 2)
        let reports = CrashReportDirectory(path: directory.path)
        // The first as a process that died while sending it left it; it was process 1, as a
        // program in a container often is, and process 1 runs now but started at another time.
        let dead = CrashReportDirectory.Claim(directory: directory.path, name: names[0], owner: "1-0")
        try FileManager.default.moveItem(atPath: directory.appendingPathComponent(names[0]).path, toPath: dead.path)
        // The second claimed by this very process, as another client of it sending it now.
        let live = try #require(reports.claim(names[1]))
        #expect(live.owner == CrashReportDirectory.process(ProcessInfo.processInfo.processIdentifier))

        let (client, stream) = try ravenClient(RavenPlugin(crashReports: directory.path))
        #expect(client.flush(timeout: .symbolication))
        #expect(stream.count == 1)
        #expect(CrashingProgram.files(in: directory) == [".\(names[1]).sending-\(live.owner)"])
        #expect(reports.release(live) && CrashingProgram.files(in: directory) == [names[1]])
    }
}

@Suite struct CrashReportBudgetTests {
    @Test("a crash over a datagram's limit loses the other threads' stacks first, keeps their names, and fits")
    func fitsDatagram() throws {
        let directory = try CrashingProgram.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try CrashingProgram.run(["index"], reportsInto: directory)
        let receiver = try LoopbackUDPReceiver()
        let stream = try UdpStream(host: "127.0.0.1", port: receiver.port, maxDatagramSize: 2500)
        let client = HekaClient(stream: stream)
        #expect(client.sendCrashReports(in: directory.path).sent == 1)
        let datagram = try #require(receiver.receive())
        #expect(datagram.count <= 2500)
        guard case .record(let record)? = RecordDecoder.decodeAll(datagram).first else {
            Issue.record("the datagram is not a record")
            return
        }
        let event = try sentryEvent(of: record.message)
        let trimmed = try #require((event["extra"] as? [String: Any])?["heka_trimmed"] as? [String])
        #expect(trimmed.first == "the other threads' stacks removed")
        let threads = try #require((event["threads"] as? [String: Any])?["values"] as? [[String: Any]])
        #expect(threads.count >= 2 && threads.allSatisfy { $0["stacktrace"] == nil })
        #expect(CrashingProgram.files(in: directory) == [])
    }
}
