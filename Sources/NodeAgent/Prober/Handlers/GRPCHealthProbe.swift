import CRI
import KubeTypes

/// A grpc probe: `grpc.health.v1.Health/Check` over plaintext HTTP/2 to the pod IP; SERVING is success.
/// One connection per probe, closed after the call, as kubelet dials one per probe.
struct GRPCHealthProbe: ProbeHandler {
    var action: GRPCAction

    /// The health method's HTTP/2 path.
    static let path = "/grpc.health.v1.Health/Check"

    func run(_ target: ProbeTarget, timeout: Duration) async -> ProbeOutcome {
        let port = Int(action.port)
        guard port > 0 && port < 65536 else { return .error("invalid port number: \(port)") }
        let host = target.host
        let address = GRPCTarget.tcp(host: host, port: port).description
        do {
            let status = try await Self.check(host: host, port: port, service: action.service ?? "", timeout: timeout)
            if status == GRPCHealthMessages.serving { return .success() }
            let name = GRPCHealthMessages.statusNames[status] ?? "\(status)"
            return .failure("service unhealthy (responded with \"\(name)\")")
        } catch let error as GRPCCallError {
            switch error.code {
            case .unimplemented:
                return .failure("this server does not implement the grpc health protocol (grpc.health.v1.Health): \(error.message)")
            case .deadlineExceeded:
                return .failure("timeout: health rpc did not complete within \(timeout.goString)")
            case .unavailable:
                return .failure("timeout: failed to connect service \"\(address)\" within \(timeout.goString): \(error.message)")
            default:
                return .failure("rpc error: code = \(error.code) desc = \(error.message)")
            }
        } catch {
            return .failure("health check of \(address) failed: \(error)")
        }
    }

    /// One Check call on a connection of its own; returns the serving status number.
    static func check(host: String, port: Int, service: String, timeout: Duration) async throws -> Int {
        let client = GRPCUnaryClient(target: .tcp(host: host, port: port),
                                     options: .init(userAgent: "kube-probe/\(HTTPRequestBuilder.kubernetesVersion)"))
        let reply: [UInt8]
        do {
            reply = try await client.unary(path: path, request: GRPCHealthMessages.request(service: service), timeout: timeout)
        } catch {
            await client.close()
            throw error
        }
        await client.close()
        return try GRPCHealthMessages.status(in: reply)
    }
}
