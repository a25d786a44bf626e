/// Options of a delete request (`metav1.DeleteOptions`).
public struct DeleteOptions: Codable, Sendable, Equatable {
    /// Always `DeleteOptions` when given.
    public var kind: String?
    /// `v1` or `meta.k8s.io/v1` when given.
    public var apiVersion: String?
    /// Seconds before the object is killed; 0 means immediately.
    public var gracePeriodSeconds: Int64?
    /// Must be fulfilled before the deletion is carried out.
    public var preconditions: Preconditions?
    /// Deprecated form of `propagationPolicy`.
    public var orphanDependents: Bool?
    /// `Orphan`, `Background` or `Foreground`.
    public var propagationPolicy: String?
    /// `All` asks for a dry run.
    public var dryRun: [String]?
    /// Unsafe deletion of corrupt objects; kept as given.
    public var ignoreStoreReadErrorWithClusterBreakingPotential: Bool?

    /// Creates a `DeleteOptions`; every optional field defaults to absent.
    public init(
        kind: String? = nil,
        apiVersion: String? = nil,
        gracePeriodSeconds: Int64? = nil,
        preconditions: Preconditions? = nil,
        orphanDependents: Bool? = nil,
        propagationPolicy: String? = nil,
        dryRun: [String]? = nil,
        ignoreStoreReadErrorWithClusterBreakingPotential: Bool? = nil
    ) {
        self.kind = kind
        self.apiVersion = apiVersion
        self.gracePeriodSeconds = gracePeriodSeconds
        self.preconditions = preconditions
        self.orphanDependents = orphanDependents
        self.propagationPolicy = propagationPolicy
        self.dryRun = dryRun
        self.ignoreStoreReadErrorWithClusterBreakingPotential = ignoreStoreReadErrorWithClusterBreakingPotential
    }

    enum CodingKeys: String, CodingKey {
        case kind
        case apiVersion
        case gracePeriodSeconds
        case preconditions
        case orphanDependents
        case propagationPolicy
        case dryRun
        case ignoreStoreReadErrorWithClusterBreakingPotential
    }
}
