/// Compute resources of a container or a pod.
public struct ResourceRequirements: Codable, Sendable, Equatable {
    /// Maximum amounts allowed.
    public var limits: ResourceList?
    /// Minimum amounts required; default to the limits when absent.
    public var requests: ResourceList?
    /// Dynamic resource claims used by the container.
    public var claims: [ResourceClaim]?

    /// Creates a `ResourceRequirements`; every optional field defaults to absent.
    public init(
        limits: ResourceList? = nil,
        requests: ResourceList? = nil,
        claims: [ResourceClaim]? = nil
    ) {
        self.limits = limits
        self.requests = requests
        self.claims = claims
    }

    enum CodingKeys: String, CodingKey {
        case limits
        case requests
        case claims
    }
}

/// A reference to a pod resource claim.
public struct ResourceClaim: Codable, Sendable, Equatable {
    /// Name of the claim in `spec.resourceClaims`.
    public var name: String
    /// A request within the claim.
    public var request: String?

    /// Creates a `ResourceClaim`; every optional field defaults to absent.
    public init(name: String = "", request: String? = nil) {
        self.name = name
        self.request = request
    }

    enum CodingKeys: String, CodingKey {
        case name
        case request
    }
}

extension ResourceClaim {
    /// Decodes the Kubernetes JSON form; a required field that is absent takes its zero value, so that
    /// validation (not the decoder) reports it the way the API server does.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.name = try c.decodeIfPresent(String.self, forKey: .name) ?? ""
        self.request = try c.decodeIfPresent(String.self, forKey: .request)
    }
}
