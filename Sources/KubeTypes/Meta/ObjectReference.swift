/// A reference to an object, as events use it (`v1.ObjectReference`).
public struct ObjectReference: Codable, Sendable, Equatable {
    /// Kind of the referent.
    public var kind: String?
    /// Namespace of the referent.
    public var namespace: String?
    /// Name of the referent.
    public var name: String?
    /// UID of the referent.
    public var uid: String?
    /// API version of the referent.
    public var apiVersion: String?
    /// Resource version the reference was taken at.
    public var resourceVersion: String?
    /// Part of the object, e.g. `spec.containers{app}`.
    public var fieldPath: String?

    /// Creates a `ObjectReference`; every optional field defaults to absent.
    public init(
        kind: String? = nil,
        namespace: String? = nil,
        name: String? = nil,
        uid: String? = nil,
        apiVersion: String? = nil,
        resourceVersion: String? = nil,
        fieldPath: String? = nil
    ) {
        self.kind = kind
        self.namespace = namespace
        self.name = name
        self.uid = uid
        self.apiVersion = apiVersion
        self.resourceVersion = resourceVersion
        self.fieldPath = fieldPath
    }

    enum CodingKeys: String, CodingKey {
        case kind
        case namespace
        case name
        case uid
        case apiVersion
        case resourceVersion
        case fieldPath
    }
}
