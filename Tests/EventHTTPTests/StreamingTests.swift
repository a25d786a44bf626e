import EventHTTP
import Foundation
import Testing

@Suite("EventHTTP streaming and shutdown")
struct StreamingTests {
    @Test func chunksArriveIncrementallyAndHandlerSeesClientGone() async throws {
        let outcome = Box<String>("running")
        var router = Router()
        router.get("/watch") { _, _ in
            HTTPResponse(status: 200, headers: HTTPHeaders([("Content-Type", "text/plain")]), body: .stream { writer in
                do {
                    for i in 0..<100 {
                        try await writer.write(Array("tick \(i)\n".utf8))
                        try await Task.sleep(for: .milliseconds(100))
                    }
                    outcome.value = "finished without noticing"
                } catch is HTTPClientGone {
                    outcome.value = writer.isClientConnected ? "gone but connected?" : "client gone"
                }
            })
        }
        let s = try TestServer.start(router: router)
        let r = try await python(["cmd": "stream", "port": s.port, "tls": true, "ca": SharedPKI.files.caCertificate,
                                  "path": "/watch", "chunks": 4])
        #expect((r["head"] as? String)?.contains("Transfer-Encoding: chunked") == true)
        #expect(r["chunks"] as? [String] == ["tick 0\n", "tick 1\n", "tick 2\n", "tick 3\n"])
        let times = r["times"] as? [Double] ?? []
        // Incremental: the 4th chunk arrives ~300 ms after the first, not all at once at the end.
        #expect(times.count == 4 && times[3] - times[0] > 0.2, "\(times)")
        let deadline = ContinuousClock.now + .seconds(3)
        while outcome.value == "running", ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(outcome.value == "client gone")
        var log = s.logs.all.first { $0.message == "request" && $0.metadata["path"] == "/watch" }
        while log == nil, ContinuousClock.now < deadline + .seconds(2) {
            try await Task.sleep(for: .milliseconds(20))
            log = s.logs.all.first { $0.message == "request" && $0.metadata["path"] == "/watch" }
        }
        #expect(log?.metadata["status"] == "200")
        #expect(Int(log?.metadata["bytes"] ?? "") ?? 0 >= 28)
        await s.stop()
    }

    @Test func gracefulShutdownLetsInFlightRequestFinish() async throws {
        let started = Box(false)
        var router = Router()
        router.get("/slow") { _, _ in
            started.value = true
            try await Task.sleep(for: .milliseconds(700))
            return .text("done")
        }
        let s = try TestServer.start(router: router)
        let port = s.port
        async let slow = s.curl("/slow")
        let wait = ContinuousClock.now + .seconds(5)
        while !started.value, ContinuousClock.now < wait { try await Task.sleep(for: .milliseconds(10)) }
        #expect(started.value)
        let shutdownStarted = ContinuousClock.now
        await s.server.shutdown(gracePeriod: .seconds(5))
        let took = ContinuousClock.now - shutdownStarted
        let result = try await slow
        #expect(result.status == 0 && result.stdout == "done", "\(result)")
        #expect(took < .seconds(3), "shutdown took \(took)")
        // No longer accepting.
        let after = try await run("/usr/bin/curl", ["-sS", "--max-time", "3", "--cacert", SharedPKI.files.caCertificate,
                                                    "https://127.0.0.1:\(port)/slow"])
        #expect(after.status != 0)
    }

    @Test func shutdownEndsStreamsAfterGrace() async throws {
        let outcome = Box<String>("running")
        let writes = Box(0)
        var router = Router()
        router.get("/forever") { _, _ in
            HTTPResponse(body: .stream { writer in
                do {
                    while true {
                        try await writer.write(Array("x".utf8))
                        writes.value += 1
                        try await Task.sleep(for: .milliseconds(50))
                    }
                } catch {
                    outcome.value = "\(type(of: error))"
                }
            })
        }
        let s = try TestServer.start(router: router)
        async let client = s.curl("/forever", ["-v"])
        let wait = ContinuousClock.now + .seconds(5)
        while writes.value < 3, ContinuousClock.now < wait { try await Task.sleep(for: .milliseconds(10)) }
        let started = ContinuousClock.now
        await s.server.shutdown(gracePeriod: .seconds(2))
        #expect(ContinuousClock.now - started < .seconds(3))
        let r = try await client
        // The chunked body was terminated properly, so curl exits 0 with what it got.
        #expect(r.status == 0, "\(r.stderr) \(s.logs.all.map { "\($0.message) \($0.metadata)" })")
        #expect(r.stdout.hasPrefix("xxx"))
        let deadline = ContinuousClock.now + .seconds(2)
        while outcome.value == "running", ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(outcome.value == "HTTPClientGone")
    }
}
