/// How a resource of a container is resized in place.
public struct ContainerResizePolicy: Codable, Sendable, Equatable {
    /// `cpu` or `memory`.
    public var resourceName: String
    /// `NotRequired` or `RestartContainer`.
    public var restartPolicy: String

    /// Creates a `ContainerResizePolicy`; every optional field defaults to absent.
    public init(resourceName: String = "", restartPolicy: String = "") {
        self.resourceName = resourceName
        self.restartPolicy = restartPolicy
    }

    enum CodingKeys: String, CodingKey {
        case resourceName
        case restartPolicy
    }
}

extension ContainerResizePolicy {
    /// Decodes the Kubernetes JSON form; a required field that is absent takes its zero value, so that
    /// validation (not the decoder) reports it the way the API server does.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.resourceName = try c.decodeIfPresent(String.self, forKey: .resourceName) ?? ""
        self.restartPolicy = try c.decodeIfPresent(String.self, forKey: .restartPolicy) ?? ""
    }
}
