import CRI
import Foundation
import KubeTypes
import Testing
import TestSupport

@testable import NodeAgent

/// grpc probes against a real `grpc.health.v1.Health` server: Python's grpcio with grpcio-health-checking
/// (deploy/testbed/grpc-health-server.py), started per test on a free loopback port. The pod uses the host network,
/// so the probe's host (127.0.0.1 there, the pod IP elsewhere) reaches the server.
@Suite("gRPC probes on containerd")
struct ProbeGRPCTests {
    @Test("grpc: SERVING passes, NOT_SERVING fails with kubelet's message, no server fails to connect")
    func grpcHealth() async throws {
        let server = try await HealthServer.start(["=SERVING", "db=NOT_SERVING"])
        defer { server.stop() }
        let port = server.port
        try await LifecycleBed.withSlot("grpc") { bed in
            var pod = bed.makePod("grpc", containers: [
                bed.probed("healthy", "exec sleep 600",
                           readiness: Probe(grpc: GRPCAction(port: Int32(port)), periodSeconds: 1, failureThreshold: 1)),
                bed.probed("db", "exec sleep 600",
                           readiness: Probe(grpc: GRPCAction(port: Int32(port), service: "db"), periodSeconds: 1, failureThreshold: 1)),
                bed.probed("noserver", "exec sleep 600",
                           readiness: Probe(grpc: GRPCAction(port: 1), periodSeconds: 1, failureThreshold: 1)),
            ])
            pod.spec.hostNetwork = true
            pod = try await bed.submit(pod)
            let ready = try await bed.waitFor(pod, "healthy ready") { $0.container("healthy")?.ready == true }
            #expect(ready.container("db")?.ready == false)
            try await bed.waitForEvent(pod, reason: "Unhealthy",
                                       containing: "Readiness probe failed: service unhealthy (responded with \"NOT_SERVING\")")
            try await bed.waitForEvent(pod, reason: "Unhealthy", containing: "127.0.0.1:1")
            let later = try #require(await bed.store.get(pod.objectKey))
            #expect(later.container("healthy")?.ready == true)
            #expect(later.container("noserver")?.ready == false)
        }
    }

    @Test("grpc health handler against the server directly: statuses, an unknown service and an unknown method")
    func grpcDirect() async throws {
        let server = try await HealthServer.start(["=SERVING", "db=NOT_SERVING", "other=SERVICE_UNKNOWN"])
        defer { server.stop() }
        let port = server.port
        #expect(try await GRPCHealthProbe.check(host: "127.0.0.1", port: port, service: "", timeout: .seconds(5)) == 1)
        #expect(try await GRPCHealthProbe.check(host: "127.0.0.1", port: port, service: "db", timeout: .seconds(5)) == 2)
        #expect(try await GRPCHealthProbe.check(host: "127.0.0.1", port: port, service: "other", timeout: .seconds(5)) == 3)
        // grpcio answers Check for a service it does not know with NOT_FOUND, as grpc-go does.
        let unknown = await #expect(throws: GRPCCallError.self) {
            _ = try await GRPCHealthProbe.check(host: "127.0.0.1", port: port, service: "nope", timeout: .seconds(5))
        }
        #expect(unknown?.code == .notFound)
        // A method the server lacks is UNIMPLEMENTED; the probe says the health protocol is missing.
        let client = GRPCUnaryClient(target: .tcp(host: "127.0.0.1", port: port))
        let error = await #expect(throws: GRPCCallError.self) {
            _ = try await client.unary(path: "/grpc.health.v1.Nothing/Check", request: [], timeout: .seconds(5))
        }
        await client.close()
        #expect(error?.code == .unimplemented)
    }
}

/// The Python health server as a child process: its port, and stop() to end it.
struct HealthServer: Sendable {
    let process: Process
    let stdin: Pipe
    let port: Int

    /// Starts the server with `statuses` (`SERVICE=STATUS`) and waits (at most 60 s: importing grpcio on a busy
    /// machine takes seconds) for it to write its port.
    static func start(_ statuses: [String]) async throws -> HealthServer {
        let portFile = NSTemporaryDirectory() + "grpc-health-\(UUID().uuidString.prefix(8)).port"
        defer { try? FileManager.default.removeItem(atPath: portFile) }
        let process = Process()
        // The python3 on PATH, the one deploy/test.sh installs grpcio for.
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", TestBed.repositoryRoot() + "/deploy/testbed/grpc-health-server.py", portFile] + statuses
        let stdin = Pipe()
        process.standardInput = stdin
        try process.run()
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline, process.isRunning {
            if let text = try? String(contentsOfFile: portFile, encoding: .utf8), let port = Int(text) {
                return HealthServer(process: process, stdin: stdin, port: port)
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        process.terminate()
        throw HealthServerError(message: "the gRPC health server did not start (is grpcio installed? see deploy/test.sh)")
    }

    /// Ends the server (closing its stdin ends it; SIGTERM makes sure) and waits for it.
    func stop() {
        try? stdin.fileHandleForWriting.close()
        process.terminate()
        process.waitUntilExit()
    }
}

/// The health server did not come up.
struct HealthServerError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
