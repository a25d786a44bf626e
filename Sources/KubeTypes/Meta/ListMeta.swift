/// Metadata of a list response (`metav1.ListMeta`).
public struct ListMeta: Codable, Sendable, Equatable {
    /// Deprecated URL of the list.
    public var selfLink: String?
    /// Version of the store the list was read at; a watch can start from it.
    public var resourceVersion: String?
    /// Token for the next page of a paginated list.
    public var `continue`: String?
    /// Number of items after this page, when known.
    public var remainingItemCount: Int64?
    /// Sharding information of the list; kept as given.
    public var shardInfo: JSONValue?

    /// Creates a `ListMeta`; every optional field defaults to absent.
    public init(
        selfLink: String? = nil,
        resourceVersion: String? = nil,
        `continue`: String? = nil,
        remainingItemCount: Int64? = nil,
        shardInfo: JSONValue? = nil
    ) {
        self.selfLink = selfLink
        self.resourceVersion = resourceVersion
        self.continue = `continue`
        self.remainingItemCount = remainingItemCount
        self.shardInfo = shardInfo
    }

    enum CodingKeys: String, CodingKey {
        case selfLink
        case resourceVersion
        case `continue`
        case remainingItemCount
        case shardInfo
    }
}
