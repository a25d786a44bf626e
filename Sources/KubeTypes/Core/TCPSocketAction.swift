/// A TCP connection attempt.
public struct TCPSocketAction: Codable, Sendable, Equatable {
    /// Port number or named container port.
    public var port: IntOrString
    /// Host to connect to; defaults to the pod IP.
    public var host: String?

    /// Creates a `TCPSocketAction`; every optional field defaults to absent.
    public init(port: IntOrString = .int(0), host: String? = nil) {
        self.port = port
        self.host = host
    }

    enum CodingKeys: String, CodingKey {
        case port
        case host
    }
}

extension TCPSocketAction {
    /// Decodes the Kubernetes JSON form; a required field that is absent takes its zero value, so that
    /// validation (not the decoder) reports it the way the API server does.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.port = try c.decodeIfPresent(IntOrString.self, forKey: .port) ?? .int(0)
        self.host = try c.decodeIfPresent(String.self, forKey: .host)
    }
}
