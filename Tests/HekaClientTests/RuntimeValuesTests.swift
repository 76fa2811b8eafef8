import Streams
import Testing

@testable import HekaClient

/// Values known only at run time in a fields literal.
@Suite struct RuntimeValuesTests {
    @Test("an interpolated string is a STRING field, among literals and wrapped runtime values")
    func interpolation() throws {
        let (client, stream) = ClientTests.client()
        let user = "ann", status = 404
        client.heka(type: "request", fields: ["user": "\(user)", "line": "\(user) got \(status)",
                                              "status": .value(FieldValue(status)), "ok": true])
        let message = try #require(stream.lastMessage)
        #expect(message.fields.map(\.name) == ["user", "line", "status", "ok"])
        #expect(message.fields.map(\.value) == [.strings(["ann"]), .strings(["ann got 404"]), .integers([404]), .bools([true])])
    }
}
