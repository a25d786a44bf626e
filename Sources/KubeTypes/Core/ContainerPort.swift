/// A network port of a container.
public struct ContainerPort: Codable, Sendable, Equatable {
    /// IANA service name, unique within the pod.
    public var name: String?
    /// Port on the host to map to.
    public var hostPort: Int32?
    /// Port in the container (1–65535).
    public var containerPort: Int32
    /// `TCP`, `UDP` or `SCTP`; defaults to `TCP`.
    public var `protocol`: PortProtocol?
    /// Host IP to bind the host port to.
    public var hostIP: String?

    /// Creates a `ContainerPort`; every optional field defaults to absent.
    public init(
        name: String? = nil,
        hostPort: Int32? = nil,
        containerPort: Int32 = 0,
        `protocol`: PortProtocol? = nil,
        hostIP: String? = nil
    ) {
        self.name = name
        self.hostPort = hostPort
        self.containerPort = containerPort
        self.protocol = `protocol`
        self.hostIP = hostIP
    }

    enum CodingKeys: String, CodingKey {
        case name
        case hostPort
        case containerPort
        case `protocol`
        case hostIP
    }
}

extension ContainerPort {
    /// Decodes the Kubernetes JSON form; a required field that is absent takes its zero value, so that
    /// validation (not the decoder) reports it the way the API server does.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.name = try c.decodeIfPresent(String.self, forKey: .name)
        self.hostPort = try c.decodeIfPresent(Int32.self, forKey: .hostPort)
        self.containerPort = try c.decodeIfPresent(Int32.self, forKey: .containerPort) ?? 0
        self.protocol = try c.decodeIfPresent(PortProtocol.self, forKey: .`protocol`)
        self.hostIP = try c.decodeIfPresent(String.self, forKey: .hostIP)
    }
}
