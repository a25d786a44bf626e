/// A gRPC health check (`grpc.health.v1`).
public struct GRPCAction: Codable, Sendable, Equatable {
    /// Port number.
    public var port: Int32
    /// Service name sent in the health check request.
    public var service: String?
    /// Probe mode; kept as given.
    public var mode: String?

    /// Creates a `GRPCAction`; every optional field defaults to absent.
    public init(
        port: Int32 = 0,
        service: String? = nil,
        mode: String? = nil
    ) {
        self.port = port
        self.service = service
        self.mode = mode
    }

    enum CodingKeys: String, CodingKey {
        case port
        case service
        case mode
    }
}

extension GRPCAction {
    /// Decodes the Kubernetes JSON form; a required field that is absent takes its zero value, so that
    /// validation (not the decoder) reports it the way the API server does.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.port = try c.decodeIfPresent(Int32.self, forKey: .port) ?? 0
        self.service = try c.decodeIfPresent(String.self, forKey: .service)
        self.mode = try c.decodeIfPresent(String.self, forKey: .mode)
    }
}
