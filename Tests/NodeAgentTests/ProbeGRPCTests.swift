import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2Posix
import KubeTypes
import Testing

@testable import NodeAgent

/// grpc probes against a `grpc.health.v1.Health` server inside the test process. The pod uses the host network,
/// so the probe's host (127.0.0.1 there, the pod IP elsewhere) reaches the test's server.
@Suite("gRPC probes on containerd")
struct ProbeGRPCTests {
    @Test("grpc: SERVING passes, NOT_SERVING fails with kubelet's message, no server fails to connect")
    func grpcHealth() async throws {
        let transport = HTTP2ServerTransport.Posix(address: .ipv4(host: "127.0.0.1", port: 0), transportSecurity: .plaintext)
        let server = GRPCServer(transport: transport, services: [TestHealthService(statuses: ["": 1, "db": 2])])
        let serving = Task { try await server.serve() }
        defer { server.beginGracefulShutdown() }
        let port = try #require(try await transport.listeningAddress.ipv4?.port)
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
        server.beginGracefulShutdown()
        try await serving.value
    }

    @Test("grpc health handler against the test server directly: statuses and an unknown method")
    func grpcDirect() async throws {
        let transport = HTTP2ServerTransport.Posix(address: .ipv4(host: "127.0.0.1", port: 0), transportSecurity: .plaintext)
        let server = GRPCServer(transport: transport, services: [TestHealthService(statuses: ["": 1, "db": 2])])
        let serving = Task { try await server.serve() }
        let port = try #require(try await transport.listeningAddress.ipv4?.port)
        #expect(try await GRPCHealthProbe.check(host: "127.0.0.1", port: port, service: "", timeout: .seconds(5)) == 1)
        #expect(try await GRPCHealthProbe.check(host: "127.0.0.1", port: port, service: "db", timeout: .seconds(5)) == 2)
        #expect(try await GRPCHealthProbe.check(host: "127.0.0.1", port: port, service: "other", timeout: .seconds(5)) == 3)
        server.beginGracefulShutdown()
        try await serving.value
    }
}

/// `grpc.health.v1.Health/Check` answering from a fixed table (SERVICE_UNKNOWN for other names).
struct TestHealthService: RegistrableRPCService {
    var statuses: [String: Int]

    func registerMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
        let statuses = self.statuses
        router.registerHandler(
            forMethod: GRPCHealthProbe.method, deserializer: RawBytesDeserializer(), serializer: RawBytesSerializer()
        ) { request, _ in
            var body: [UInt8] = []
            for try await message in request.messages { body = message }
            var service = ""
            if body.count >= 2, body[0] == 0x0A, Int(body[1]) + 2 <= body.count {
                service = String(decoding: body[2..<(2 + Int(body[1]))], as: UTF8.self)
            }
            let status = statuses[service] ?? 3
            return StreamingServerResponse(single: ServerResponse(message: [0x08, UInt8(status)]))
        }
    }
}
