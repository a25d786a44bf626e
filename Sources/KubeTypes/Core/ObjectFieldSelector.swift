/// Selects a field of the pod, e.g. `metadata.name` or `status.podIP`.
public struct ObjectFieldSelector: Codable, Sendable, Equatable {
    /// Schema version of `fieldPath`; defaults to `v1`.
    public var apiVersion: String?
    /// Path of the field.
    public var fieldPath: String

    /// Creates a `ObjectFieldSelector`; every optional field defaults to absent.
    public init(apiVersion: String? = nil, fieldPath: String = "") {
        self.apiVersion = apiVersion
        self.fieldPath = fieldPath
    }

    enum CodingKeys: String, CodingKey {
        case apiVersion
        case fieldPath
    }
}

extension ObjectFieldSelector {
    /// Decodes the Kubernetes JSON form; a required field that is absent takes its zero value, so that
    /// validation (not the decoder) reports it the way the API server does.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.apiVersion = try c.decodeIfPresent(String.self, forKey: .apiVersion)
        self.fieldPath = try c.decodeIfPresent(String.self, forKey: .fieldPath) ?? ""
    }
}
