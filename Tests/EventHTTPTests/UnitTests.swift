@testable import EventHTTP
import Foundation
import Testing

@Suite("EventHTTP values")
struct ValueTests {
    @Test func headersAreOrderedAndCaseInsensitive() {
        var h = HTTPHeaders([("Accept", "a"), ("X-Many", "1")])
        h.add("x-many", "2")
        #expect(h["ACCEPT"] == "a")
        #expect(h.values("X-MANY") == ["1", "2"])
        h.set("X-Many", "3")
        #expect(h.values("x-many") == ["3"])
        #expect(h.map(\.name) == ["Accept", "X-Many"])
    }

    @Test func queryKeepsRepeatedKeysAndDecodes() {
        let q = QueryParameters(parsing: "command=sh&command=-c&command=echo+hi%21&x=%E2%9C%93&flag")
        #expect(q.all("command") == ["sh", "-c", "echo hi!"])
        #expect(q["x"] == "✓")
        #expect(q["flag"] == "")
        #expect(q["missing"] == nil)
        let r = HTTPRequest(method: "GET", target: "/a%20b/c?tail=1&tail=2")
        #expect(r.path == "/a b/c")
        #expect(r.query.all("tail") == ["1", "2"])
    }

    @Test func statusBodyIsExactAndEscaped() throws {
        let e = HTTPError(status: 404, reason: "NotFound", message: "pod \"a\\b\"\n\u{01} not found")
        let response = KubernetesStatusRenderer.render(e)
        guard case .bytes(let bytes) = response.body else { Issue.record("not bytes"); return }
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text == #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"pod \"a\\b\"\n\u0001 not found","reason":"NotFound","code":404}"#)
        #expect(response.headers["content-type"] == "application/json")
        #expect(response.status == 404)
        let decoded = try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any]
        #expect(decoded?["message"] as? String == e.message)
    }

    @Test func routerPrefersLiteralsAndReports405() {
        var router = Router()
        router.get("/pods/{namespace}/{name}") { _, _ in .text("param") }
        router.get("/pods/default/special") { _, _ in .text("literal") }
        router.delete("/pods/{namespace}/{name}") { _, _ in .text("delete") }
        router.post("/run/{ns}/{pod}/{container}") { _, _ in .text("run") }
        #expect(router.routes.count == 4)
        guard case .found(_, _, let ctx) = router.match(method: "GET", path: "/pods/default/special") else {
            Issue.record("no match"); return
        }
        #expect(ctx.routePattern == "/pods/default/special")
        guard case .found(_, _, let ctx2) = router.match(method: "GET", path: "/pods/kube-system/dns") else {
            Issue.record("no match"); return
        }
        #expect(ctx2.parameters == ["namespace": "kube-system", "name": "dns"])
        guard case .methodNotAllowed(let allow) = router.match(method: "PUT", path: "/pods/a/b") else {
            Issue.record("expected 405"); return
        }
        #expect(Set(allow) == ["GET", "DELETE", "HEAD"])
        guard case .notFound = router.match(method: "GET", path: "/pods/a") else { Issue.record("expected 404"); return }
        guard case .notFound = router.match(method: "GET", path: "/pods//b") else { Issue.record("empty param"); return }
    }

    @Test func requestHeadParsingIsStrict() throws {
        let ok = try RequestHead.parse(Array("GET /x?y=1 HTTP/1.1\r\nHost: a\r\nX:  v \r\n\r\n".utf8))
        #expect(ok.method == "GET" && ok.target == "/x?y=1" && ok.headers["x"] == "v")
        for bad in ["GET /x\r\n\r\n", "GET  /x HTTP/1.1\r\n\r\n", "GET /x HTTP/2.0\r\n\r\n", "G(T /x HTTP/1.1\r\n\r\n",
                    "GET x HTTP/1.1\r\n\r\n", "GET /x HTTP/1.1\r\nNoColon\r\n\r\n", "GET /x HTTP/1.1\r\n folded: x\r\n\r\n",
                    "GET /%zz HTTP/1.1\r\n\r\n"] {
            #expect(throws: HTTPError.self) { try RequestHead.parse(Array(bad.utf8)) }
        }
        let both = try RequestHead.parse(Array("POST / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n".utf8))
        #expect(throws: HTTPError.self) { try both.bodyFraming() }
        let cl = try RequestHead.parse(Array("POST / HTTP/1.1\r\nContent-Length: 12\r\n\r\n".utf8))
        #expect(try cl.bodyFraming() == .contentLength(12))
    }

    @Test func webSocketAcceptKeyMatchesRFCExample() {
        #expect(WebSocketHandshake.acceptKey(for: "dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
    }

    @Test func pkiNeverOverwrites() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("eh-pki-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let first = try PKIBootstrap.ensure(directory: dir, hostnames: ["node1"], ipAddresses: ["127.0.0.1"],
                                            logger: .init(label: "t"))
        #expect(first.created)
        for key in [first.caKey, first.privateKey] {
            let mode = try FileManager.default.attributesOfItem(atPath: key)[.posixPermissions] as? Int
            #expect(mode == 0o600)
        }
        let before = try String(contentsOfFile: first.certificate, encoding: .utf8)
        let second = try PKIBootstrap.ensure(directory: dir, hostnames: ["other"], ipAddresses: [],
                                             logger: .init(label: "t"))
        #expect(!second.created)
        #expect(try String(contentsOfFile: second.certificate, encoding: .utf8) == before)
        try FileManager.default.removeItem(atPath: first.certificate)
        #expect(throws: PKIError.self) {
            _ = try PKIBootstrap.ensure(directory: dir, hostnames: ["x"], ipAddresses: [], logger: .init(label: "t"))
        }
    }
}
