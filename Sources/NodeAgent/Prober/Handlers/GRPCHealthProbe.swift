import GRPCCore
import GRPCNIOTransportHTTP2Posix
import KubeTypes

/// A grpc probe: `grpc.health.v1.Health/Check` over plaintext HTTP/2 to the pod IP; SERVING is success.
/// One connection per probe, as kubelet dials one per probe.
struct GRPCHealthProbe: ProbeHandler {
    var action: GRPCAction

    static let method = MethodDescriptor(fullyQualifiedService: "grpc.health.v1.Health", method: "Check")

    func run(_ target: ProbeTarget, timeout: Duration) async -> ProbeOutcome {
        let port = Int(action.port)
        guard port > 0 && port < 65536 else { return .error("invalid port number: \(port)") }
        let host = target.host
        let address = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        do {
            let status = try await Self.check(host: host, port: port, service: action.service ?? "", timeout: timeout)
            if status == GRPCHealthMessages.serving { return .success() }
            let name = GRPCHealthMessages.statusNames[status] ?? "\(status)"
            return .failure("service unhealthy (responded with \"\(name)\")")
        } catch let error as RPCError {
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

    /// One Check call; returns the serving status number.
    static func check(host: String, port: Int, service: String, timeout: Duration) async throws -> Int {
        let transport = try HTTP2ClientTransport.Posix(
            target: host.contains(":") ? .ipv6(host: host, port: port) : .ipv4(host: host, port: port),
            transportSecurity: .plaintext,
            config: .defaults { config in
                config.connection.maxIdleTime = nil
            })
        var options = CallOptions.defaults
        options.timeout = timeout
        options.waitForReady = false
        let request = ClientRequest(message: GRPCHealthMessages.request(service: service))
        return try await withGRPCClient(transport: transport) { client in
            try await client.unary(
                request: request, descriptor: method, serializer: RawBytesSerializer(),
                deserializer: RawBytesDeserializer(), options: options
            ) { response in
                try GRPCHealthMessages.status(in: try response.message)
            }
        }
    }
}
