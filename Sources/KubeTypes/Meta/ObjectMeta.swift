/// Metadata every persisted Kubernetes object carries (`metav1.ObjectMeta`).
public struct ObjectMeta: Codable, Sendable, Equatable {
    /// Unique name within the namespace; a DNS-1123 subdomain for pods.
    public var name: String?
    /// Prefix the server uses to generate a unique name when `name` is empty.
    public var generateName: String?
    /// Namespace the object lives in; `default` when not given.
    public var namespace: String?
    /// Deprecated URL of the object; kept only so that documents carrying it still decode.
    public var selfLink: String?
    /// Unique identity assigned by the server at creation.
    public var uid: String?
    /// Opaque version of the stored object; changes on every write.
    public var resourceVersion: String?
    /// Sequence number of changes to the desired state.
    public var generation: Int64?
    /// When the object was created (server-set).
    public var creationTimestamp: Time?
    /// When graceful deletion was requested plus the grace period; set by the server on delete.
    public var deletionTimestamp: Time?
    /// Grace period the object was given when deletion was requested.
    public var deletionGracePeriodSeconds: Int64?
    /// Identifying key/value pairs used by selectors.
    public var labels: [String: String]?
    /// Non-identifying key/value data.
    public var annotations: [String: String]?
    /// Objects this object depends on; kept as given.
    public var ownerReferences: [OwnerReference]?
    /// Entries that must be removed before the object is deleted from storage.
    public var finalizers: [String]?
    /// Removed field some old manifests still carry; kept as given.
    public var clusterName: String?
    /// Server-side-apply bookkeeping; kept exactly as given.
    public var managedFields: JSONValue?

    /// Creates a `ObjectMeta`; every optional field defaults to absent.
    public init(
        name: String? = nil,
        generateName: String? = nil,
        namespace: String? = nil,
        selfLink: String? = nil,
        uid: String? = nil,
        resourceVersion: String? = nil,
        generation: Int64? = nil,
        creationTimestamp: Time? = nil,
        deletionTimestamp: Time? = nil,
        deletionGracePeriodSeconds: Int64? = nil,
        labels: [String: String]? = nil,
        annotations: [String: String]? = nil,
        ownerReferences: [OwnerReference]? = nil,
        finalizers: [String]? = nil,
        clusterName: String? = nil,
        managedFields: JSONValue? = nil
    ) {
        self.name = name
        self.generateName = generateName
        self.namespace = namespace
        self.selfLink = selfLink
        self.uid = uid
        self.resourceVersion = resourceVersion
        self.generation = generation
        self.creationTimestamp = creationTimestamp
        self.deletionTimestamp = deletionTimestamp
        self.deletionGracePeriodSeconds = deletionGracePeriodSeconds
        self.labels = labels
        self.annotations = annotations
        self.ownerReferences = ownerReferences
        self.finalizers = finalizers
        self.clusterName = clusterName
        self.managedFields = managedFields
    }

    enum CodingKeys: String, CodingKey {
        case name
        case generateName
        case namespace
        case selfLink
        case uid
        case resourceVersion
        case generation
        case creationTimestamp
        case deletionTimestamp
        case deletionGracePeriodSeconds
        case labels
        case annotations
        case ownerReferences
        case finalizers
        case clusterName
        case managedFields
    }
}
