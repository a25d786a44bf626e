/// Conditions that must hold for a delete to proceed (`metav1.Preconditions`).
public struct Preconditions: Codable, Sendable, Equatable {
    /// The object must have this UID.
    public var uid: String?
    /// The object must be at this resource version.
    public var resourceVersion: String?

    /// Creates a `Preconditions`; every optional field defaults to absent.
    public init(uid: String? = nil, resourceVersion: String? = nil) {
        self.uid = uid
        self.resourceVersion = resourceVersion
    }

    enum CodingKeys: String, CodingKey {
        case uid
        case resourceVersion
    }
}
