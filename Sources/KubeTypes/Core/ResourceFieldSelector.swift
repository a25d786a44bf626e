/// Selects a resource of a container, e.g. `limits.cpu`.
public struct ResourceFieldSelector: Codable, Sendable, Equatable {
    /// Container to read; the current container when absent.
    public var containerName: String?
    /// `limits.cpu`, `requests.memory`, ...
    public var resource: String
    /// Unit the value is divided by; defaults to 1.
    public var divisor: Quantity?

    /// Creates a `ResourceFieldSelector`; every optional field defaults to absent.
    public init(
        containerName: String? = nil,
        resource: String = "",
        divisor: Quantity? = nil
    ) {
        self.containerName = containerName
        self.resource = resource
        self.divisor = divisor
    }

    enum CodingKeys: String, CodingKey {
        case containerName
        case resource
        case divisor
    }
}

extension ResourceFieldSelector {
    /// Decodes the Kubernetes JSON form; a required field that is absent takes its zero value, so that
    /// validation (not the decoder) reports it the way the API server does.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.containerName = try c.decodeIfPresent(String.self, forKey: .containerName)
        self.resource = try c.decodeIfPresent(String.self, forKey: .resource) ?? ""
        self.divisor = try c.decodeIfPresent(Quantity.self, forKey: .divisor)
    }
}
