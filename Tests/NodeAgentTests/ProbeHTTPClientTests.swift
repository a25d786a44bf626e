import CRI
import EventHTTP
import Foundation
import KubeTypes
import Logging
import Testing

@testable import NodeAgent

/// The httpGet mechanism against local servers: HTTPS with a self-signed certificate (not verified, as kubelet),
/// same-host redirects followed, the body bound, the timeout.
@Suite("httpGet client")
struct ProbeHTTPClientTests {
    /// A python HTTP server on 127.0.0.1: `/redirect` → 302 to `/ok`, `/ok` → 200, `/big` → 20 KiB, `/hang` never
    /// answers within the test's timeouts, `/loop` redirects to itself, `/away` → 302 to another host name
    /// (`localhost`), `/choices` → 300 with a Location (not a status Go follows).
    static let serverScript = """
        import http.server, sys, time
        class H(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                if self.path == '/redirect':
                    self.send_response(302); self.send_header('Location', '/ok'); self.send_header('Content-Length', '0'); self.end_headers()
                elif self.path == '/loop':
                    self.send_response(301); self.send_header('Location', 'http://127.0.0.1:%d/loop' % self.server.server_port); self.send_header('Content-Length', '0'); self.end_headers()
                elif self.path == '/away':
                    self.send_response(302); self.send_header('Location', 'http://localhost:%d/ok' % self.server.server_port); self.send_header('Content-Length', '0'); self.end_headers()
                elif self.path == '/choices':
                    self.send_response(300); self.send_header('Location', '/ok'); self.send_header('Content-Length', '0'); self.end_headers()
                elif self.path == '/ok':
                    body = ('ok ' + self.headers.get('User-Agent', '')).encode()
                    self.send_response(200); self.send_header('Content-Length', str(len(body))); self.end_headers(); self.wfile.write(body)
                elif self.path == '/big':
                    body = b'x' * 20480
                    self.send_response(200); self.send_header('Content-Length', str(len(body))); self.end_headers(); self.wfile.write(body)
                elif self.path == '/hang':
                    time.sleep(4)
                else:
                    self.send_response(404); self.send_header('Content-Length', '0'); self.end_headers()
            def log_message(self, *args): pass
        server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), H)
        open(sys.argv[1], 'w').write(str(server.server_port))
        server.serve_forever()
        """

    @Test("plain HTTP: same-host redirects followed, a redirect loop fails at 10, body bounded, timeout enforced")
    func plainHTTP() async throws {
        try await Self.withServer { port, target in
            func probe(_ path: String, timeout: Duration = .seconds(5)) async -> ProbeOutcome {
                await HTTPGetProbe(action: HTTPGetAction(path: path, port: .int(Int32(port)), host: "127.0.0.1"))
                    .run(target, timeout: timeout)
            }
            let redirected = await probe("/redirect")
            #expect(redirected.kind == .success)
            #expect(redirected.output == "ok kube-probe/\(HTTPRequestBuilder.kubernetesVersion)")
            // Go's client stops where it would send its 11th request, and kubelet reports that error as a failure.
            let loop = await probe("/loop")
            #expect(loop == .failure("Get \"http://127.0.0.1:\(port)/loop\": stopped after 10 redirects"), "\(loop)")
            // A redirect to another host is not followed: the 302 stands, a success with a warning.
            let away = await probe("/away")
            #expect(away.kind == .warning && away.output.hasPrefix("Probe terminated redirects"), "\(away)")
            // 300 is not a status Go follows, even with a Location.
            let choices = await probe("/choices")
            #expect(choices.kind == .warning, "\(choices)")
            let big = try await target.http.get(
                HTTPProbeRequest(scheme: "http", host: "127.0.0.1", port: port, path: "/big", headers: []), timeout: .seconds(5))
            #expect(big.status == 200 && big.body.count == HTTPProbeClient.maxBodyBytes)
            let missing = await probe("/missing")
            #expect(missing == .failure("HTTP probe failed with statuscode: 404"))
            let started = ContinuousClock.now
            let hung = await probe("/hang", timeout: .seconds(1))
            #expect(hung.kind == .failure && hung.output.contains("timeout"), "\(hung.output)")
            #expect(ContinuousClock.now - started < .seconds(2))
            let refused = await HTTPGetProbe(action: HTTPGetAction(port: 1, host: "127.0.0.1")).run(target, timeout: .seconds(2))
            #expect(refused.kind == .failure && refused.output.hasPrefix("Get \"http://127.0.0.1:1/\": "), "\(refused.output)")
        }
    }

    @Test("HTTPS with a self-signed certificate passes: certificates are not verified")
    func httpsUnverified() async throws {
        let directory = NSTemporaryDirectory() + "swiftlet-probe-https-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let keygen = try ChildProcess([
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=probe-test", "-days", "1",
            "-keyout", directory + "/key.pem", "-out", directory + "/cert.pem",
        ])
        try await keygen.waitForExit(timeout: .seconds(30))
        let port = Int.random(in: 20000..<40000)
        let server = try ChildProcess([
            "openssl", "s_server", "-quiet", "-accept", "127.0.0.1:\(port)", "-www",
            "-cert", directory + "/cert.pem", "-key", directory + "/key.pem",
        ])
        defer { server.stop() }
        let deadline = ContinuousClock.now + .seconds(10)
        let client = HTTPProbeClient(client: HTTPClient())
        while (try? await client.connect(host: "127.0.0.1", port: port, timeout: .seconds(1))) == nil {
            #expect(ContinuousClock.now < deadline, "openssl s_server did not listen on \(port)")
            if ContinuousClock.now >= deadline { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        try await Self.withTarget { target in
            let outcome = await HTTPGetProbe(action: HTTPGetAction(path: "/", port: .int(Int32(port)), host: "127.0.0.1", scheme: .https))
                .run(target, timeout: .seconds(5))
            #expect(outcome.kind == .success, "\(outcome.output)")
            #expect(outcome.output.contains("s_server"))
        }
    }

    @Test("probe workers run httpGet and tcpSocket rounds on the client's loop: redirects, warnings, thresholds, stop")
    func loopDrivenWorkers() async throws {
        try await Self.withServer { port, target in
            let events = EventRecorder(nodeName: "test-node", logger: Logger(label: "probe-tests"))
            var pod = Pod(metadata: ObjectMeta(name: "p", namespace: "default", uid: "uid-1"))
            pod.spec.containers = [target.container]
            let results = LockedResults()
            func worker(_ kind: ProbeKind, _ probe: Probe, _ name: String) -> ProbeWorker {
                ProbeWorker(ProbeWorker.Context(
                    kind: kind, probe: probe, target: target, pod: pod, events: events, observer: nil,
                    runningFor: .seconds(1), afterStartup: true, onResult: { result in
                        // The thread a result is published on shows which driver ran the round.
                        let thread = (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? ""
                        results.append(name, result, thread: thread.trimmingCharacters(in: .whitespacesAndNewlines))
                    }))
            }
            func http(_ path: String, failureThreshold: Int32 = 3) -> Probe {
                Probe(httpGet: HTTPGetAction(path: path, port: .int(Int32(port)), host: "127.0.0.1"),
                      periodSeconds: 1, failureThreshold: failureThreshold)
            }
            let workers = [
                worker(.readiness, http("/redirect"), "redirect"),
                worker(.readiness, http("/loop"), "loop"),
                worker(.readiness, http("/away"), "away"),
                worker(.liveness, http("/missing", failureThreshold: 2), "missing"),
                worker(.readiness, Probe(tcpSocket: TCPSocketAction(port: .int(Int32(port)), host: "127.0.0.1"), periodSeconds: 1), "tcp"),
                worker(.liveness, Probe(tcpSocket: TCPSocketAction(port: .int(1), host: "127.0.0.1"), periodSeconds: 1,
                                        failureThreshold: 1), "closed"),
            ]
            let deadline = ContinuousClock.now + .seconds(10)
            while results.all.count < 5 || !events.events(podName: "p").contains(where: { $0.message?.contains("stopped after") == true }),
                  ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
            // Readiness starts failed and turns successful; liveness starts successful and fails after its threshold.
            #expect(results.of("redirect") == [.success])
            #expect(results.of("loop") == [], "a redirect loop keeps readiness failed")
            #expect(results.of("away") == [.success])
            #expect(results.of("tcp") == [.success])
            #expect(results.of("missing") == [.failure])
            #expect(results.of("closed") == [.failure])
            #expect(Set(results.threads) == ["swiftlet-http-c"], "rounds run on the HTTP client's loop thread, not in tasks")
            let messages = events.events(podName: "p").compactMap { $0.message }
            #expect(messages.contains { $0.hasPrefix("Readiness probe warning: Probe terminated redirects") }, "\(messages)")
            #expect(messages.contains("Liveness probe failed: HTTP probe failed with statuscode: 404"), "\(messages)")
            #expect(messages.contains("Readiness probe failed: Get \"http://127.0.0.1:\(port)/loop\": stopped after 10 redirects"),
                    "\(messages)")
            #expect(messages.contains("Liveness probe failed: dial tcp 127.0.0.1:1: connect: connection refused"), "\(messages)")
            // A failed liveness probe stops probing; so does stop().
            let unhealthy = events.events(podName: "p").first { $0.message?.contains("statuscode: 404") == true }?.count ?? 0
            #expect(unhealthy == 2, "two failed runs reach the threshold of 2, then the worker stops")
            for worker in workers { worker.stop() }
            let counts = events.events(podName: "p").map { $0.count ?? 1 }
            try await Task.sleep(for: .milliseconds(2500))
            #expect(events.events(podName: "p").map { $0.count ?? 1 } == counts, "no run is recorded after stop()")
        }
    }

    // MARK: Helpers

    /// Runs `body` with `serverScript` listening on a loopback port and a target whose client reaches it.
    static func withServer(_ body: (Int, ProbeTarget) async throws -> Void) async throws {
        let directory = NSTemporaryDirectory() + "swiftlet-probe-http-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let script = directory + "/server.py"
        try serverScript.write(toFile: script, atomically: true, encoding: .utf8)
        let server = try ChildProcess(["python3", script, directory + "/port"])
        defer { server.stop() }
        let port = try await waitForPortFile(directory + "/port")
        try await withTarget { target in try await body(port, target) }
    }

    /// A target whose runtime is never used (httpGet does not touch it).
    static func withTarget(_ body: (ProbeTarget) async throws -> Void) async throws {
        let runtime = try GRPCContainerRuntime(endpoint: "unix:///nonexistent/swiftlet-probe-tests.sock",
                                               logger: Logger(label: "probe-tests"))
        let http = HTTPClient()
        let target = ProbeTarget(runtime: runtime, http: HTTPProbeClient(client: http), containerID: "unused",
                                 container: Container(name: "app"), host: "127.0.0.1")
        var failure: (any Error)?
        do { try await body(target) } catch { failure = error }
        await runtime.close()
        await http.shutdown()
        if let failure { throw failure }
    }

    static func waitForPortFile(_ path: String) async throws -> Int {
        let deadline = ContinuousClock.now + .seconds(15)
        while ContinuousClock.now < deadline {
            if let text = try? String(contentsOfFile: path, encoding: .utf8), let port = Int(text) { return port }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw LifecycleTestError(message: "the test server wrote no port to \(path)")
    }
}

/// Published results by probe name, in order.
final class LockedResults: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [(String, ProbeResult)] = []
    private var publishers: [String] = []

    func append(_ name: String, _ result: ProbeResult, thread: String = "") {
        lock.withLock {
            results.append((name, result))
            publishers.append(thread)
        }
    }
    var all: [(String, ProbeResult)] { lock.withLock { results } }
    /// The names of the threads results were published on.
    var threads: [String] { lock.withLock { publishers } }
    func of(_ name: String) -> [ProbeResult] { all.filter { $0.0 == name }.map(\.1) }
}

/// A child process of a test, never alive longer than two minutes; `stop()` terminates it. Waiting polls instead of
/// blocking a cooperative thread.
final class ChildProcess: Sendable {
    private let process: Process

    init(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        // `timeout` ends the child even if this test process dies before `stop()`.
        process.arguments = ["timeout", "-s", "KILL", "120"] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process
    }

    func waitForExit(timeout: Duration) async throws {
        let deadline = ContinuousClock.now + timeout
        while kill(process.processIdentifier, 0) == 0 && !Self.reaped(process) {
            guard ContinuousClock.now < deadline else {
                stop()
                throw LifecycleTestError(message: "\(process.arguments ?? []) still running after \(timeout)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Whether the child has exited (Foundation reaps it; its termination status is then final).
    private static func reaped(_ process: Process) -> Bool { !process.isRunning }

    /// SIGKILL, directly: the test runner's children can inherit an ignored or blocked SIGTERM (seen here:
    /// `terminate()` left python and openssl running), and Foundation's `isRunning` is not dependable without a
    /// run loop. Should this process die first, `timeout -s KILL` ends the server after two minutes.
    func stop() {
        // `timeout` leads its own process group (it calls setpgid), so this ends it and the server together.
        kill(-process.processIdentifier, SIGKILL)
    }
}
