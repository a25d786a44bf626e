/// A pod condition that must be true for the pod to be ready.
public struct PodReadinessGate: Codable, Sendable, Equatable {
    /// The condition type.
    public var conditionType: String

    /// Creates a `PodReadinessGate`; every optional field defaults to absent.
    public init(conditionType: String = "") {
        self.conditionType = conditionType
    }

    enum CodingKeys: String, CodingKey {
        case conditionType
    }
}

extension PodReadinessGate {
    /// Decodes the Kubernetes JSON form; a required field that is absent takes its zero value, so that
    /// validation (not the decoder) reports it the way the API server does.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.conditionType = try c.decodeIfPresent(String.self, forKey: .conditionType) ?? ""
    }
}
