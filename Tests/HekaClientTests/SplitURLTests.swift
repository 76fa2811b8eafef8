import Foundation
import Testing

@testable import HekaClient

/// URLs split as Python's `urllib.parse.urlsplit` splits them (raven reads DSNs with it).
@Suite struct SplitURLTests {
    static let urls = [
        "https://pub:secret@sentry.example.com/2", "https://pub@sentry.example.com/2?sentry_secret=s&timeout=3",
        "threaded+https://pub:secret@sentry.example.com:9000/a/b/2", "udp://pub:se:cret@127.0.0.1:9001/1",
        "https://p@q:s@host/1", "https://pub:secret@[::1]:9000/2", "https://pub@host:/2#frag", "https://host/2",
        "pub:secret@host/2://x", "https://pub:secret@host/2;params?x=1#y", "HTTPS://PUB:S@HOST/2", "https:/host/2",
        "https://pub@host?a=1/2", "https://pub@host#a/2", "mailto:someone@example.com",
    ]

    @Test("scheme, user, password, host, port, path and query agree with Python's urlsplit")
    func agreesWithPython() throws {
        let ours = Self.urls.map { text -> [String] in
            let url = SplitURL(text)
            let location = url.hostAndPort
            return [url.scheme.map { $0.lowercased() } ?? "", url.netloc.map(String.init) ?? "",
                    url.username.map(String.init) ?? "<none>", url.password.map(String.init) ?? "<none>",
                    location.map { $0.host.lowercased() } ?? "<none>", location?.port.map(String.init) ?? "<none>",
                    String(url.path), url.query.map(String.init) ?? ""]
        }
        let script = """
            import json, sys
            from urllib.parse import urlsplit
            out = []
            for text in json.loads(sys.stdin.read()):
                u = urlsplit(text)
                hostinfo = u.netloc.rpartition('@')[2]
                if hostinfo.startswith('['):
                    port = hostinfo.partition(']')[2].partition(':')
                    port = port[2] if port[1] else None
                else:
                    _, have, port = hostinfo.partition(':')
                    port = port if have else None
                none = lambda v: '<none>' if v is None else v
                out.append([u.scheme, u.netloc, none(u.username), none(u.password), none(u.hostname) if u.netloc else '<none>',
                            none(port) if u.netloc else '<none>', u.path, u.query])
            print(json.dumps(out))
            """
        let input = try JSONSerialization.data(withJSONObject: Self.urls)
        let theirs = try #require(try JSONSerialization.jsonObject(with: Data(runPython(script, input: Array(input)).utf8))
            as? [[String]])
        for (index, url) in Self.urls.enumerated() {
            #expect(ours[index] == theirs[index], "\(url)")
        }
    }

    @Test("a printout masks the password and secret query values, keeping the rest as written")
    func masking() {
        #expect(RedactionPolicy.maskingURLPassword("https://p@q:s@host/1") == "https://p@q:********@host/1")
        #expect(RedactionPolicy.maskingURLPassword("https://pub@host/2?sentry_secret=S&timeout=3&token=T")
            == "https://pub@host/2?sentry_secret=********&timeout=3&token=********")
        #expect(RedactionPolicy.maskingURLPassword("just text? with @ and :") == "just text? with @ and :")
    }
}
