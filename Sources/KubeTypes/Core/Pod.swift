/// A Kubernetes v1 Pod: metadata, desired state and observed status.
public struct Pod: Codable, Sendable, Equatable {
    /// `v1`.
    public var apiVersion: String?
    /// `Pod`.
    public var kind: String?
    /// Standard object metadata.
    public var metadata: ObjectMeta
    /// Desired behaviour of the pod.
    public var spec: PodSpec
    /// Most recently observed status.
    public var status: PodStatus

    /// Creates a `Pod`; every optional field defaults to absent.
    public init(
        apiVersion: String? = nil,
        kind: String? = nil,
        metadata: ObjectMeta = ObjectMeta(),
        spec: PodSpec = PodSpec(),
        status: PodStatus = PodStatus()
    ) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }

    enum CodingKeys: String, CodingKey {
        case apiVersion
        case kind
        case metadata
        case spec
        case status
    }
}

extension Pod {
    /// Decodes the Kubernetes JSON form; a required field that is absent takes its zero value, so that
    /// validation (not the decoder) reports it the way the API server does.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.apiVersion = try c.decodeIfPresent(String.self, forKey: .apiVersion)
        self.kind = try c.decodeIfPresent(String.self, forKey: .kind)
        self.metadata = try c.decodeIfPresent(ObjectMeta.self, forKey: .metadata) ?? ObjectMeta()
        self.spec = try c.decodeIfPresent(PodSpec.self, forKey: .spec) ?? PodSpec()
        self.status = try c.decodeIfPresent(PodStatus.self, forKey: .status) ?? PodStatus()
    }
}
