/// A persistent volume claim, by name.
public struct PersistentVolumeClaimVolumeSource: Codable, Sendable, Equatable {
    /// Name of the claim in the pod's namespace.
    public var claimName: String
    /// Mount read-only.
    public var readOnly: Bool?

    /// Creates a `PersistentVolumeClaimVolumeSource`; every optional field defaults to absent.
    public init(claimName: String = "", readOnly: Bool? = nil) {
        self.claimName = claimName
        self.readOnly = readOnly
    }

    enum CodingKeys: String, CodingKey {
        case claimName
        case readOnly
    }
}

extension PersistentVolumeClaimVolumeSource {
    /// Decodes the Kubernetes JSON form; a required field that is absent takes its zero value, so that
    /// validation (not the decoder) reports it the way the API server does.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.claimName = try c.decodeIfPresent(String.self, forKey: .claimName) ?? ""
        self.readOnly = try c.decodeIfPresent(Bool.self, forKey: .readOnly)
    }
}
