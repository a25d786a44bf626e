/// A list of events (`v1.EventList`).
public struct EventList: Codable, Sendable, Equatable {
    /// `EventList`.
    public var kind: String?
    /// `v1`.
    public var apiVersion: String?
    /// List metadata.
    public var metadata: ListMeta
    /// The events.
    public var items: [Event]

    /// Creates a `EventList`; every optional field defaults to absent.
    public init(
        kind: String? = nil,
        apiVersion: String? = nil,
        metadata: ListMeta = ListMeta(),
        items: [Event] = []
    ) {
        self.kind = kind
        self.apiVersion = apiVersion
        self.metadata = metadata
        self.items = items
    }

    enum CodingKeys: String, CodingKey {
        case kind
        case apiVersion
        case metadata
        case items
    }
}

extension EventList {
    /// Decodes the Kubernetes JSON form; a required field that is absent takes its zero value, so that
    /// validation (not the decoder) reports it the way the API server does.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.kind = try c.decodeIfPresent(String.self, forKey: .kind)
        self.apiVersion = try c.decodeIfPresent(String.self, forKey: .apiVersion)
        self.metadata = try c.decodeIfPresent(ListMeta.self, forKey: .metadata) ?? ListMeta()
        self.items = try c.decodeIfPresent([Event].self, forKey: .items) ?? []
    }
}
