/// Extra data about an error status (`metav1.StatusDetails`).
public struct StatusDetails: Codable, Sendable, Equatable {
    /// Name of the object the status is about.
    public var name: String?
    /// API group of the object; empty for core.
    public var group: String?
    /// Resource kind (for `AlreadyExists`, the resource name such as `pods`).
    public var kind: String?
    /// UID of the object, when known.
    public var uid: String?
    /// Individual problems, e.g. one per invalid field.
    public var causes: [StatusCause]?
    /// Suggested wait before retrying.
    public var retryAfterSeconds: Int32?

    /// Creates a `StatusDetails`; every optional field defaults to absent.
    public init(
        name: String? = nil,
        group: String? = nil,
        kind: String? = nil,
        uid: String? = nil,
        causes: [StatusCause]? = nil,
        retryAfterSeconds: Int32? = nil
    ) {
        self.name = name
        self.group = group
        self.kind = kind
        self.uid = uid
        self.causes = causes
        self.retryAfterSeconds = retryAfterSeconds
    }

    enum CodingKeys: String, CodingKey {
        case name
        case group
        case kind
        case uid
        case causes
        case retryAfterSeconds
    }
}
