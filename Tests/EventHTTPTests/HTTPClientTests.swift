import Foundation
import Testing

@testable import EventHTTP

/// The response parser byte by byte, and the client against EventHTTP's own server (plain and TLS), a listener
/// that never answers, closed ports, names that do not resolve, cancellation and shutdown.
@Suite("EventHTTP client")
struct HTTPClientTests {
    // MARK: Parser

    /// Feeds `raw` split at every position (and whole), expecting the same outcome each time.
    static func parse(_ raw: String, maxBody: Int = 1 << 20, eof: Bool = false)
        -> (progress: HTTPResponseParser.Progress, parser: HTTPResponseParser) {
        let bytes = Array(raw.utf8)
        var first: (HTTPResponseParser.Progress, HTTPResponseParser)?
        for split in 0...bytes.count {
            var parser = HTTPResponseParser(maxBodyBytes: maxBody)
            var progress = parser.feed(bytes[..<split])
            if !progress.isFinal { progress = parser.feed(bytes[split...]) }
            if !progress.isFinal && eof { progress = parser.finish() }
            if let (p, q) = first {
                #expect(p == progress && q.body == parser.body && q.status == parser.status, "split at \(split)")
            } else {
                first = (progress, parser)
            }
        }
        return (first?.0 ?? .needMore, first?.1 ?? HTTPResponseParser(maxBodyBytes: maxBody))
    }

    @Test("Content-Length, chunked and close-delimited bodies, split anywhere")
    func framings() {
        let length = Self.parse("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-A: b \r\n\r\nhello")
        #expect(length.progress == .complete)
        #expect(length.parser.status == 200 && length.parser.body == Array("hello".utf8))
        #expect(length.parser.headers["x-a"] == "b")

        let chunked = Self.parse(
            "HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nT: x\r\n\r\n")
        #expect(chunked.progress == .complete)
        #expect(chunked.parser.status == 201 && String(decoding: chunked.parser.body, as: UTF8.self) == "hello, world")

        let open = Self.parse("HTTP/1.0 200 OK\r\n\r\nuntil the end", eof: true)
        #expect(open.progress == .complete && open.parser.body == Array("until the end".utf8))

        let interim = Self.parse("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\nX: y\r\n\r\n")
        #expect(interim.progress == .complete && interim.parser.status == 204 && interim.parser.body.isEmpty)
        #expect(interim.parser.headers["X"] == "y")
    }

    @Test("the body is cut at the bound and the exchange completes without reading the rest")
    func bodyBound() {
        let long = String(repeating: "x", count: 100)
        for raw in [
            "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n" + long,
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n64\r\n" + long + "\r\n0\r\n\r\n",
            "HTTP/1.1 200 OK\r\n\r\n" + long,
        ] {
            var parser = HTTPResponseParser(maxBodyBytes: 10)
            #expect(parser.feed(Array(raw.utf8).prefix(raw.utf8.count - 50)) == .complete, "\(raw.prefix(40))")
            #expect(parser.body.count == 10 && parser.truncated)
        }
    }

    @Test("broken responses fail with a reason")
    func malformed() {
        #expect(Self.parse("SSH-2.0-OpenSSH\r\n\r\n").progress == .failed("malformed HTTP response: \"SSH-2.0-OpenSSH\""))
        #expect(Self.parse("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n").progress
            == .failed("conflicting Content-Length fields in the response"))
        #expect(Self.parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n").progress == .failed("invalid chunk size"))
        #expect(Self.parse("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nshort", eof: true).progress == .failed("unexpected EOF"))
        var nothing = HTTPResponseParser(maxBodyBytes: 10)
        #expect(nothing.finish() == .failed("EOF"))
        var huge = HTTPResponseParser(maxBodyBytes: 10)
        let head = "HTTP/1.1 200 OK\r\n" + String(repeating: "X-Pad: 0123456789\r\n", count: 5000)
        #expect(huge.feed(Array(head.utf8)) == .failed("the response head exceeds \(HTTPResponseParser.maxHeadBytes) bytes"))
        // The same head complete in one read is over the bound too.
        var whole = HTTPResponseParser(maxBodyBytes: 10)
        #expect(whole.feed(Array((head + "\r\n").utf8)) == .failed("the response head exceeds \(HTTPResponseParser.maxHeadBytes) bytes"))
        #expect(Self.parse("HTTP/1.1 200 OK\r\nContent-Length: +5\r\n\r\nhello").progress
            == .failed("invalid Content-Length \"+5\" in the response"))
    }

    @Test("requests: fields in order, Connection: close added, line breaks refused")
    func serialization() throws {
        var headers = HTTPHeaders()
        headers.add("Host", "10.0.0.5:8080")
        headers.add("User-Agent", "kube-probe/1.33")
        let request = HTTPClientRequest(scheme: .http, host: "10.0.0.5", port: 8080, target: "/healthz?x=1", headers: headers)
        #expect(String(decoding: try request.serialized(), as: UTF8.self)
            == "GET /healthz?x=1 HTTP/1.1\r\nHost: 10.0.0.5:8080\r\nUser-Agent: kube-probe/1.33\r\nConnection: close\r\n\r\n")
        var injected = request
        injected.headers.add("X-Evil", "a\r\nInjected: yes")
        #expect(throws: HTTPClientError.self) { try injected.serialized() }
        var badTarget = request
        badTarget.target = "healthz"
        #expect(throws: HTTPClientError.self) { try badTarget.serialized() }
    }

    // MARK: Against servers

    static func router() -> Router {
        var router = Router()
        router.get("/hello") { request, _ in .text("hello \(request.headers["User-Agent"] ?? "")") }
        router.get("/big") { _, _ in .text(String(repeating: "b", count: 50_000)) }
        router.get("/chunked") { _, _ in
            HTTPResponse(status: 200, headers: HTTPHeaders([("Content-Type", "text/plain")]), body: .stream { writer in
                for i in 0..<3 { try await writer.write(Array("part \(i);".utf8)) }
            })
        }
        router.get("/slow") { _, _ in
            try await Task.sleep(for: .seconds(5))
            return .text("late")
        }
        return router
    }

    static func get(_ client: HTTPClient, port: Int, _ path: String, tls: Bool = false, timeout: Duration = .seconds(5),
                    maxBody: Int = 10_240) async throws(HTTPClientError) -> HTTPClientResponse {
        var headers = HTTPHeaders()
        headers.add("Host", "127.0.0.1:\(port)")
        headers.add("User-Agent", "client-test")
        let request = HTTPClientRequest(scheme: tls ? .https : .http, host: "127.0.0.1", port: port, target: path,
                                        headers: headers)
        return try await client.get(request, timeout: timeout, maxBodyBytes: maxBody)
    }

    @Test("plain and TLS (not verified): fixed, chunked and bounded bodies; 200 requests at once")
    func againstServer() async throws {
        let client = HTTPClient(threadName: "client-test")
        for tls in [false, true] {
            let server = try TestServer.start(tls: tls, router: Self.router())
            let hello = try await Self.get(client, port: server.port, "/hello", tls: tls)
            #expect(hello.status == 200 && String(decoding: hello.body, as: UTF8.self) == "hello client-test")
            #expect(hello.headers["Content-Type"]?.hasPrefix("text/plain") == true)
            let chunked = try await Self.get(client, port: server.port, "/chunked", tls: tls)
            #expect(String(decoding: chunked.body, as: UTF8.self) == "part 0;part 1;part 2;")
            let big = try await Self.get(client, port: server.port, "/big", tls: tls, maxBody: 10_240)
            #expect(big.body.count == 10_240 && big.bodyTruncated)
            let missing = try await Self.get(client, port: server.port, "/missing", tls: tls)
            #expect(missing.status == 404)
            let statuses = await withTaskGroup(of: Int.self) { group in
                for _ in 0..<200 {
                    group.addTask { (try? await Self.get(client, port: server.port, "/hello", tls: tls).status) ?? -1 }
                }
                return await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.count == 200 && statuses.allSatisfy { $0 == 200 }, "tls \(tls): \(statuses.filter { $0 != 200 })")
            await server.stop()
        }
        await client.shutdown()
    }

    @Test("refused, unresolvable, never answering and TLS-to-plain each fail with their own kind and wording")
    func failures() async throws {
        let client = HTTPClient(threadName: "client-test")
        // A port nothing listens on: bind one, learn its number, close it.
        let closedPort = try Self.freePort()
        do {
            _ = try await Self.get(client, port: closedPort, "/")
            Issue.record("a closed port answered")
        } catch {
            #expect(error.kind == .connect && error.message == "connect: connection refused", "\(error)")
        }
        // The same over TLS: libevent reports it as an EOF before the handshake, still a refused connect.
        do {
            _ = try await Self.get(client, port: closedPort, "/", tls: true)
            Issue.record("a closed port answered over TLS")
        } catch {
            #expect(error.kind == .connect && error.message == "connect: connection refused", "\(error)")
        }
        do {
            try await client.connect(host: "no-such-host.invalid", port: 80, timeout: .seconds(5))
            Issue.record("an .invalid name resolved")
        } catch {
            #expect(error.kind == .resolve && error.message.hasPrefix("lookup no-such-host.invalid: "), "\(error)")
        }
        // A listener that accepts (the kernel's backlog) but never reads or answers.
        let silent = try SilentListener()
        let started = ContinuousClock.now
        do {
            _ = try await Self.get(client, port: silent.port, "/", timeout: .milliseconds(300))
            Issue.record("a silent listener answered")
        } catch {
            #expect(error.kind == .timeout, "\(error)")
        }
        #expect(ContinuousClock.now - started < .seconds(2))
        try await client.connect(host: "127.0.0.1", port: silent.port, timeout: .seconds(2))
        try await client.connect(host: "localhost", port: silent.port, timeout: .seconds(2))

        // A plain-text server that answers at once: OpenSSL reads HTTP where a ServerHello belongs.
        let plain = try SilentListener()
        plain.replyOnce(Array("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".utf8))
        do {
            _ = try await Self.get(client, port: plain.port, "/hello", tls: true)
            Issue.record("TLS to a plain server succeeded")
        } catch {
            // OpenSSL's reason, not the bare SSL_get_error code libevent queues with it.
            #expect(error.kind == .tls && error.message.hasPrefix("tls: ") && error.message.contains("wrong version number"),
                    "\(error)")
        }
        plain.close()
        silent.close()
        await client.shutdown()
    }

    @Test("cancellation and shutdown end exchanges in flight at once; later calls fail fast")
    func cancellationAndShutdown() async throws {
        let client = HTTPClient(threadName: "client-test")
        let server = try TestServer.start(tls: false, router: Self.router())
        let slow = Task { try await Self.get(client, port: server.port, "/slow", timeout: .seconds(30)) }
        try await Task.sleep(for: .milliseconds(200))
        let cancelledAt = ContinuousClock.now
        slow.cancel()
        do {
            _ = try await slow.value
            Issue.record("a cancelled request completed")
        } catch let error as HTTPClientError {
            #expect(error.kind == .cancelled)
        }
        #expect(ContinuousClock.now - cancelledAt < .seconds(1))

        let pending = Task { try await Self.get(client, port: server.port, "/slow", timeout: .seconds(30)) }
        try await Task.sleep(for: .milliseconds(200))
        await client.shutdown()
        do {
            _ = try await pending.value
            Issue.record("a request survived shutdown")
        } catch let error as HTTPClientError {
            #expect(error.kind == .unavailable)
        }
        do {
            _ = try await Self.get(client, port: server.port, "/hello")
            Issue.record("a shut-down client sent a request")
        } catch {
            #expect(error.kind == .unavailable)
        }
        await server.stop()
    }

    @Test("repeating: rounds a period apart from each round's start, redirects followed in the round, stop and cancel end it")
    func repeatingRounds() async throws {
        let client = HTTPClient(threadName: "client-test")
        let server = try TestServer.start(tls: false, router: Self.router())
        var headers = HTTPHeaders()
        headers.add("Host", "127.0.0.1:\(server.port)")
        let hello = HTTPClientRequest(scheme: .http, host: "127.0.0.1", port: server.port, target: "/hello", headers: headers)
        var missing = hello
        missing.target = "/missing"

        // Each round: /missing (404), then "follow" to /hello (200); the third round stops.
        let rounds = Box<[(status: Int, at: ContinuousClock.Instant, elapsed: Duration)]>([])
        let started = ContinuousClock.now
        let repeating = try #require(client.repeating(
            .request(missing), firstDelay: .milliseconds(50), period: .milliseconds(300), timeout: .seconds(2),
            maxBodyBytes: 1024
        ) { round in
            let status = (try? round.result.get())??.status ?? -1
            rounds.value.append((status, ContinuousClock.now, round.elapsed))
            if status == 404 { return .follow(hello) }
            return rounds.value.count >= 6 ? .stop : .next
        })
        let deadline = ContinuousClock.now + .seconds(5)
        while rounds.value.count < 6, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        try await Task.sleep(for: .milliseconds(700))
        let seen = rounds.value
        #expect(seen.map(\.status) == [404, 200, 404, 200, 404, 200], "\(seen.map(\.status))")
        if seen.count == 6 {
            // Round starts: ~50 ms, then 300 ms apart; the follow-up's elapsed time counts from its round's start.
            #expect(seen[0].at - started >= .milliseconds(50))
            let gap = seen[2].at - seen[0].at
            #expect(gap > .milliseconds(250) && gap < .milliseconds(600), "\(gap)")
            #expect(seen[1].elapsed >= seen[0].elapsed)
        }
        repeating.cancel()

        // A cancelled repeating request delivers nothing more, even with rounds due every 50 ms.
        let ticks = Box(0)
        let fast = try #require(client.repeating(
            .connect(host: "127.0.0.1", port: server.port), firstDelay: .zero, period: .milliseconds(50),
            timeout: .seconds(1), maxBodyBytes: 0
        ) { round in
            if case .success = round.result { ticks.value += 1 }
            return .next
        })
        while ticks.value < 3, ContinuousClock.now < deadline + .seconds(2) { try await Task.sleep(for: .milliseconds(10)) }
        #expect(ticks.value >= 3)
        fast.cancel()
        try await Task.sleep(for: .milliseconds(100))
        let afterCancel = ticks.value
        try await Task.sleep(for: .milliseconds(300))
        #expect(ticks.value == afterCancel)

        // A round that outlives its timeout reports .timeout; shutdown ends the rest.
        let timeouts = Box<[HTTPClientError.Kind]>([])
        var slow = hello
        slow.target = "/slow"
        _ = client.repeating(.request(slow), firstDelay: .zero, period: .seconds(1), timeout: .milliseconds(200),
                             maxBodyBytes: 10) { round in
            if case .failure(let error) = round.result { timeouts.value.append(error.kind) }
            return .next
        }
        while timeouts.value.isEmpty, ContinuousClock.now < deadline + .seconds(4) { try await Task.sleep(for: .milliseconds(20)) }
        #expect(timeouts.value.first == .timeout)
        await client.shutdown()
        let final = timeouts.value.count
        try await Task.sleep(for: .milliseconds(1200))
        #expect(timeouts.value.count == final, "rounds after shutdown")
        // After shutdown nothing starts, and onRound is not called from within `repeating` (its caller may hold
        // a lock that onRound takes).
        let late = Box(0)
        let refused = client.repeating(.request(hello), firstDelay: .zero, period: .seconds(1), timeout: .seconds(1),
                                       maxBodyBytes: 0) { _ in
            late.value += 1
            return .next
        }
        #expect(refused == nil && late.value == 0)
        await server.stop()
    }

    /// A loopback port that was free a moment ago.
    static func freePort() throws -> Int {
        let listener = try SilentListener()
        listener.close()
        return listener.port
    }
}

/// A loopback TCP listener that never accepts: connections complete in the kernel's backlog and are never read.
final class SilentListener: @unchecked Sendable {
    let port: Int
    private var fd: Int32

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw HelperError(description: "socket: \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            _ = Foundation.close(fd)
            throw HelperError(description: "bind/listen: \(errno)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.fd = fd
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    func close() {
        if fd >= 0 { _ = Foundation.close(fd) }
        fd = -1
    }

    /// Accepts one connection on a thread of its own, writes `bytes` and closes it.
    func replyOnce(_ bytes: [UInt8]) {
        let listening = fd
        Thread.detachNewThread {
            let connection = accept(listening, nil, nil)
            guard connection >= 0 else { return }
            _ = bytes.withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            Thread.sleep(forTimeInterval: 0.2)
            _ = Foundation.close(connection)
        }
    }

    deinit { close() }
}
