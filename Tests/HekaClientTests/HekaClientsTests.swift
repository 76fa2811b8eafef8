import Dispatch
import Streams
import Synchronization
import Testing

@testable import HekaClient

@Suite struct HekaClientsTests {
    let debug = HekaConfiguration(stream: .debugCapture())

    @Test("get or create: one client per name, its logger the name; the first is the default")
    func getOrCreate() {
        let holder = HekaClients()
        #expect(holder.defaultClient == nil && holder.defaultName == nil)
        let first = holder.client(named: "first")
        #expect(first.logger == "first")
        #expect(holder.client(named: "first") === first)
        let second = holder.client(named: "second")
        #expect(second !== first)
        #expect(holder.defaultName == "first" && holder.defaultClient === first)
        #expect(holder.names == ["first", "second"])
    }

    @Test("configuring a name: a blank logger becomes the name; another logger is refused and changes nothing")
    func configure() throws {
        let holder = HekaClients()
        let client = try holder.client(named: "shop", configuration: debug)
        #expect(client.logger == "shop")
        #expect(holder.client(named: "shop") === client)
        client.info("hello")
        #expect((client.stream as? DebugCaptureStream)?.lastMessage?.logger == "shop")

        var matching = debug
        matching.logger = "shop"
        let replacement = try holder.client(named: "shop", configuration: matching)
        #expect(holder.client(named: "shop") === replacement && replacement !== client)

        var other = debug
        other.logger = "billing"
        let error = #expect(throws: ConfigurationError.self) { try holder.client(named: "shop", configuration: other) }
        #expect(error?.description == "[heka] logger: the logger \"billing\" must match the client's name \"shop\" or be left blank")
        #expect(holder.client(named: "shop") === replacement)
    }

    @Test("set, remove and the default")
    func setRemoveDefault() {
        let holder = HekaClients()
        let a = HekaClient(stream: DebugCaptureStream(), logger: "a")
        let b = HekaClient(stream: DebugCaptureStream(), logger: "b")
        holder.set(a, named: "a")
        holder.set(b, named: "b")
        #expect(holder.defaultClient === a)
        holder.defaultName = "b"
        #expect(holder.defaultClient === b)
        #expect(holder.remove(named: "b") === b)
        #expect(holder.defaultName == nil && holder.defaultClient == nil)
        #expect(holder.remove(named: "b") == nil)
        #expect(holder.names == ["a"])
        // A holder emptied and filled again makes its new first client the default.
        holder.remove(named: "a")
        holder.set(b, named: "b")
        #expect(holder.defaultClient === b)
    }

    @Test("many threads asking for the same names get one client per name")
    func concurrentGetOrCreate() {
        let holder = HekaClients()
        let seen = Mutex<[String: Set<ObjectIdentifier>]>([:])
        DispatchQueue.concurrentPerform(iterations: 400) { index in
            let name = "client-\(index % 8)"
            let client = holder.client(named: name)
            seen.withLock { _ = $0[name, default: []].insert(ObjectIdentifier(client)) }
        }
        let identities = seen.withLock { $0 }
        #expect(identities.count == 8)
        #expect(identities.values.allSatisfy { $0.count == 1 })
        #expect(holder.names.count == 8)
        #expect(holder.defaultName.map { identities[$0] != nil } == true)
    }

    @Test("the shared holder is one instance")
    func shared() {
        #expect(HekaClients.shared === HekaClients.shared)
    }
}
