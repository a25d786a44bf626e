import EventHTTP
import Foundation
import Testing

/// A Sendable box for observations made inside handlers.
final class Box<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: T
    init(_ value: T) { stored = value }
    var value: T {
        get { lock.lock(); defer { lock.unlock() }; return stored }
        set { lock.lock(); stored = newValue; lock.unlock() }
    }
}

/// Adds a log attribute the way authentication middleware does.
struct UserMiddleware: HTTPMiddleware {
    func handle(_ request: HTTPRequest, context: RouteContext, next: HTTPHandler) async throws -> HTTPResponse {
        var response = try await next(request, context)
        response.logAttributes["user"] = "tester"
        return response
    }
}

func protocolRouter() -> Router {
    var router = Router()
    router.get("/hello") { _, _ in .text("hello") }
    router.get("/pods/{namespace}/{name}") { _, ctx in
        .text("pod \(try ctx.parameter("namespace"))/\(try ctx.parameter("name"))")
    }
    router.get("/pods/default/fixed") { _, _ in .text("literal") }
    router.delete("/pods/{namespace}/{name}") { _, _ in .text("deleted") }
    router.post("/echo") { request, _ in
        HTTPResponse(status: 200, headers: HTTPHeaders([("Content-Type", "application/octet-stream")]),
                     body: .bytes(request.body))
    }
    router.get("/query") { request, _ in .text(request.query.all("command").joined(separator: "|")) }
    return router
}

func rawRequest(_ port: Int, _ parts: [String], pause: Double = 0) async throws -> (status: Int, headers: [String: String], body: String, closed: Bool, elapsed: Double) {
    let r = try await python(["cmd": "raw", "port": port, "parts": parts.map { b64($0) }, "pause": pause, "timeout": 5])
    let raw = r["response"] as? String ?? ""
    guard let parsed = parseResponse(raw) else {
        throw HelperError(description: "unparseable response: \(r)")
    }
    return (parsed.status, parsed.headers, parsed.body, r["closed"] as? Bool ?? false, r["elapsed"] as? Double ?? -1)
}

func statusObject(_ body: String) -> [String: Any]? {
    (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any]
}

@Suite("EventHTTP HTTP/1.1")
struct ProtocolTests {
    @Test func routingParamsNotFoundAndMethodNotAllowed() async throws {
        let s = try TestServer.start(tls: false, router: protocolRouter(), middleware: [UserMiddleware()])
        let a = try await rawRequest(s.port, ["GET /pods/kube-system/dns HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"])
        #expect(a.status == 200 && a.body == "pod kube-system/dns")
        let b = try await rawRequest(s.port, ["GET /pods/default/fixed HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"])
        #expect(b.body == "literal")
        let c = try await rawRequest(s.port, ["GET /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"])
        #expect(c.status == 404)
        #expect(c.headers["content-type"] == "application/json")
        #expect(statusObject(c.body)?["reason"] as? String == "NotFound")
        #expect(statusObject(c.body)?["kind"] as? String == "Status")
        let d = try await rawRequest(s.port, ["PUT /pods/a/b HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"])
        #expect(d.status == 405)
        #expect(Set((d.headers["allow"] ?? "").components(separatedBy: ", ")) == ["GET", "DELETE", "HEAD"])
        #expect(statusObject(d.body)?["reason"] as? String == "MethodNotAllowed")
        let q = try await rawRequest(s.port, ["GET /query?command=sh&command=-c&command=echo+a%26b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"])
        #expect(q.body == "sh|-c|echo a&b")
        // One access-log line per request with the middleware's attribute.
        let lines = s.logs.all.filter { $0.message == "request" && $0.metadata["path"] == "/pods/kube-system/dns" }
        #expect(lines.count == 1)
        #expect(lines.first?.metadata["status"] == "200")
        #expect(lines.first?.metadata["user"] == "tester")
        #expect(lines.first?.metadata["method"] == "GET")
        #expect(lines.first?.metadata["bytes"] == "19")
        #expect(lines.first?.metadata["duration_ms"] != nil)
        await s.stop()
    }

    @Test func keepAliveAndPipelining() async throws {
        let s = try TestServer.start(tls: false, router: protocolRouter())
        let r = try await python(["cmd": "raw", "port": s.port, "timeout": 5, "parts": [
            b64("GET /hello HTTP/1.1\r\nHost: x\r\n\r\nPOST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nabcde"
                + "GET /pods/a/b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")]])
        let raw = r["response"] as? String ?? ""
        #expect(raw.components(separatedBy: "HTTP/1.1 200 OK").count == 4, "\(raw)")
        #expect(raw.contains("\r\n\r\nhello") && raw.contains("\r\n\r\nabcde") && raw.hasSuffix("pod a/b"))
        #expect(r["closed"] as? Bool == true)
        await s.stop()
    }

    @Test func malformedRequestLineIs400() async throws {
        let s = try TestServer.start(tls: false, router: protocolRouter())
        for bad in ["GARBAGE\r\n\r\n", "GET /hello HTTP/9.9\r\n\r\n", "GET /hello HTTP/1.1\r\nBad Header\r\n\r\n"] {
            let r = try await rawRequest(s.port, [bad])
            #expect(r.status == 400, "\(bad)")
            #expect(statusObject(r.body)?["reason"] as? String == "BadRequest")
            #expect(r.headers["connection"] == "close")
            #expect(r.closed)
        }
        await s.stop()
    }

    @Test func oversizedHeadersAre431() async throws {
        let s = try TestServer.start(tls: false, router: protocolRouter()) { $0.maxHeaderBytes = 4096 }
        let big = "GET /hello HTTP/1.1\r\nHost: x\r\nX-Big: \(String(repeating: "a", count: 5000))\r\n\r\n"
        let r = try await rawRequest(s.port, [big])
        #expect(r.status == 431)
        #expect(statusObject(r.body)?["reason"] as? String == "RequestHeaderFieldsTooLarge")
        #expect(statusObject(r.body)?["code"] as? Int == 431)
        // Without a terminating empty line at all: cut off once the limit is passed.
        let endless = try await rawRequest(s.port, ["GET /hello HTTP/1.1\r\n" + String(repeating: "X-A: b\r\n", count: 1000)])
        #expect(endless.status == 431)
        let fine = try await rawRequest(s.port, ["GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"])
        #expect(fine.status == 200)
        await s.stop()
    }

    @Test func oversizedBodyIs413() async throws {
        let s = try TestServer.start(tls: false, router: protocolRouter()) { $0.maxBodyBytes = 1000 }
        let r = try await rawRequest(s.port, ["POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5000000\r\n\r\n"])
        #expect(r.status == 413)
        #expect(statusObject(r.body)?["reason"] as? String == "RequestEntityTooLarge")
        let chunk = String(repeating: "z", count: 600)
        let chunked = try await rawRequest(s.port, ["POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n",
                                                    "258\r\n\(chunk)\r\n258\r\n\(chunk)\r\n0\r\n\r\n"])
        #expect(chunked.status == 413)
        let ok = try await rawRequest(s.port, ["POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
                                               "3\r\nabc\r\n2;ext=1\r\nde\r\n0\r\n\r\n"])
        #expect(ok.status == 200 && ok.body == "abcde")
        await s.stop()
    }

    @Test func slowlorisIsCutOffWhileOthersAreServed() async throws {
        let s = try TestServer.start(tls: true, router: protocolRouter()) { $0.headerTimeout = .milliseconds(3000) }
        let port = s.port
        async let slow = python(["cmd": "slowloris", "port": port, "tls": true, "ca": SharedPKI.files.caCertificate, "timeout": 10])
        try await Task.sleep(for: .milliseconds(300))
        let started = ContinuousClock.now
        let other = try await s.curl("/hello")
        let otherElapsed = ContinuousClock.now - started
        #expect(other.status == 0 && other.stdout == "hello")
        // Served well before the stalled client's 3 s header timeout, with room for a busy machine's curl start.
        #expect(otherElapsed < .milliseconds(2000), "another client waited \(otherElapsed)")
        let result = try await slow
        let elapsed = result["elapsed"] as? Double ?? 99
        #expect(result["closed"] as? Bool == true)
        #expect(elapsed > 2.5 && elapsed < 6.0, "cut off after \(elapsed) s")
        #expect((result["response"] as? String)?.hasPrefix("HTTP/1.1 408") == true, "\(result)")
        await s.stop()
    }

    @Test func maxConnectionsIsEnforced() async throws {
        let s = try TestServer.start(tls: false, router: protocolRouter()) { $0.maxConnections = 2 }
        // Two connections that stay open (slowloris-style), then a third that must be refused.
        async let a = python(["cmd": "slowloris", "port": s.port, "timeout": 8])
        async let b = python(["cmd": "slowloris", "port": s.port, "timeout": 8])
        // Python can take seconds to start on a busy machine: wait until both connections are really open.
        let deadline = ContinuousClock.now + .seconds(10)
        while s.server.openConnections < 2, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(s.server.openConnections == 2)
        let third = try await python(["cmd": "raw", "port": s.port, "timeout": 3,
                                      "parts": [b64("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")]])
        #expect((third["response"] as? String ?? "").isEmpty, "\(third)")
        _ = try await (a, b)
        let after = try await rawRequest(s.port, ["GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"])
        #expect(after.status == 200)
        await s.stop()
    }
}

/// Adds a log attribute on both paths, as the authentication middleware does.
struct InlineUserMiddleware: HTTPMiddleware {
    func handle(_ request: HTTPRequest, context: RouteContext, next: HTTPHandler) async throws -> HTTPResponse {
        var response = try await next(request, context)
        response.logAttributes["user"] = "async"
        return response
    }

    func handleInline(_ request: HTTPRequest, context: RouteContext, next: HTTPInlineNext) throws -> HTTPResponse? {
        guard var response = try next(request, context) else { return nil }
        response.logAttributes["user"] = "inline"
        return response
    }
}

/// Inline routes are answered on the event-loop thread when every middleware can decide there, and through the
/// async path otherwise; either way the client sees the same answer.
@Suite("EventHTTP inline fast path")
struct InlinePathTests {
    static func router(_ seen: Box<[String]>) -> Router {
        var router = Router()
        router.add("GET", "/fast", inline: { _, _ in
            seen.value.append(currentThreadName())
            return .text("fast")
        })
        router.get("/slow") { _, _ in
            seen.value.append(currentThreadName())
            return .text("slow")
        }
        return router
    }

    @Test func inlineRoutesRunOnTheLoopThreadWhenTheMiddlewareAllows() async throws {
        let seen = Box<[String]>([])
        let s = try TestServer.start(tls: false, router: Self.router(seen), middleware: [InlineUserMiddleware()])
        let fast = try await rawRequest(s.port, ["GET /fast HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"])
        #expect(fast.status == 200 && fast.body == "fast")
        let slow = try await rawRequest(s.port, ["GET /slow HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"])
        #expect(slow.status == 200 && slow.body == "slow")
        let missing = try await rawRequest(s.port, ["GET /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"])
        #expect(missing.status == 404)
        #expect(statusObject(missing.body)?["reason"] as? String == "NotFound")
        let names = seen.value
        #expect(names.count == 2)
        #expect(names.first?.hasPrefix("swiftlet-http") == true, "inline route ran on \(names)")
        #expect(names.last?.hasPrefix("swiftlet-http") == false, "async route ran on the loop thread: \(names)")
        let users = s.logs.all.filter { $0.message == "request" }.map { "\($0.metadata["path"] ?? "")=\($0.metadata["user"] ?? "")" }
        #expect(users.contains("/fast=inline"))
        #expect(users.contains("/slow=async"))
    }

    @Test func aMiddlewareWithoutAnInlinePathSendsInlineRoutesThroughTasks() async throws {
        let seen = Box<[String]>([])
        let s = try TestServer.start(tls: false, router: Self.router(seen), middleware: [UserMiddleware()])
        let fast = try await rawRequest(s.port, ["GET /fast HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"])
        #expect(fast.status == 200 && fast.body == "fast")
        #expect(seen.value.count == 1)
        #expect(seen.value.first?.hasPrefix("swiftlet-http") == false, "ran on \(seen.value)")
        let lines = s.logs.all.filter { $0.message == "request" && $0.metadata["path"] == "/fast" }
        #expect(lines.first?.metadata["user"] == "tester")
    }
}

/// The calling thread's name.
/// Read from the kernel (`/proc/thread-self/comm`): Foundation's `Thread.current.name` does not report the name
/// of a thread that libevent's loop runs on.
func currentThreadName() -> String {
    ((try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
}
