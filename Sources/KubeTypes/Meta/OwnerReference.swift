/// A reference to an owning object (`metav1.OwnerReference`).
public struct OwnerReference: Codable, Sendable, Equatable {
    /// API version of the owner.
    public var apiVersion: String
    /// Kind of the owner.
    public var kind: String
    /// Name of the owner.
    public var name: String
    /// UID of the owner.
    public var uid: String
    /// Whether the owner is the managing controller.
    public var controller: Bool?
    /// Whether the owner cannot be deleted before this object.
    public var blockOwnerDeletion: Bool?

    /// Creates a `OwnerReference`; every optional field defaults to absent.
    public init(
        apiVersion: String = "",
        kind: String = "",
        name: String = "",
        uid: String = "",
        controller: Bool? = nil,
        blockOwnerDeletion: Bool? = nil
    ) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.name = name
        self.uid = uid
        self.controller = controller
        self.blockOwnerDeletion = blockOwnerDeletion
    }

    enum CodingKeys: String, CodingKey {
        case apiVersion
        case kind
        case name
        case uid
        case controller
        case blockOwnerDeletion
    }
}

extension OwnerReference {
    /// Decodes the Kubernetes JSON form; a required field that is absent takes its zero value, so that
    /// validation (not the decoder) reports it the way the API server does.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.apiVersion = try c.decodeIfPresent(String.self, forKey: .apiVersion) ?? ""
        self.kind = try c.decodeIfPresent(String.self, forKey: .kind) ?? ""
        self.name = try c.decodeIfPresent(String.self, forKey: .name) ?? ""
        self.uid = try c.decodeIfPresent(String.self, forKey: .uid) ?? ""
        self.controller = try c.decodeIfPresent(Bool.self, forKey: .controller)
        self.blockOwnerDeletion = try c.decodeIfPresent(Bool.self, forKey: .blockOwnerDeletion)
    }
}
