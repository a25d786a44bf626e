/// A list of pods (`v1.PodList`).
public struct PodList: Codable, Sendable, Equatable {
    /// `v1`.
    public var apiVersion: String?
    /// `PodList`.
    public var kind: String?
    /// List metadata; `resourceVersion` is where a watch can resume.
    public var metadata: ListMeta
    /// The pods.
    public var items: [Pod]

    /// Creates a `PodList`; every optional field defaults to absent.
    public init(
        apiVersion: String? = nil,
        kind: String? = nil,
        metadata: ListMeta = ListMeta(),
        items: [Pod] = []
    ) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.metadata = metadata
        self.items = items
    }

    enum CodingKeys: String, CodingKey {
        case apiVersion
        case kind
        case metadata
        case items
    }
}

extension PodList {
    /// Decodes the Kubernetes JSON form; a required field that is absent takes its zero value, so that
    /// validation (not the decoder) reports it the way the API server does.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.apiVersion = try c.decodeIfPresent(String.self, forKey: .apiVersion)
        self.kind = try c.decodeIfPresent(String.self, forKey: .kind)
        self.metadata = try c.decodeIfPresent(ListMeta.self, forKey: .metadata) ?? ListMeta()
        self.items = try c.decodeIfPresent([Pod].self, forKey: .items) ?? []
    }
}
