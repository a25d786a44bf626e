/// A condition of a pod, e.g. `Ready`.
public struct PodCondition: Codable, Sendable, Equatable {
    /// Condition type.
    public var type: PodConditionType
    /// Generation the condition was set for.
    public var observedGeneration: Int64?
    /// `True`, `False` or `Unknown`.
    public var status: ConditionStatus
    /// When the condition was last probed.
    public var lastProbeTime: Time?
    /// When the status last changed.
    public var lastTransitionTime: Time?
    /// CamelCase reason of the last transition.
    public var reason: String?
    /// Human-readable details of the last transition.
    public var message: String?

    /// Creates a `PodCondition`; every optional field defaults to absent.
    public init(
        type: PodConditionType = "",
        observedGeneration: Int64? = nil,
        status: ConditionStatus = "",
        lastProbeTime: Time? = nil,
        lastTransitionTime: Time? = nil,
        reason: String? = nil,
        message: String? = nil
    ) {
        self.type = type
        self.observedGeneration = observedGeneration
        self.status = status
        self.lastProbeTime = lastProbeTime
        self.lastTransitionTime = lastTransitionTime
        self.reason = reason
        self.message = message
    }

    enum CodingKeys: String, CodingKey {
        case type
        case observedGeneration
        case status
        case lastProbeTime
        case lastTransitionTime
        case reason
        case message
    }
}

extension PodCondition {
    /// Decodes the Kubernetes JSON form; a required field that is absent takes its zero value, so that
    /// validation (not the decoder) reports it the way the API server does.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.type = try c.decodeIfPresent(PodConditionType.self, forKey: .type) ?? ""
        self.observedGeneration = try c.decodeIfPresent(Int64.self, forKey: .observedGeneration)
        self.status = try c.decodeIfPresent(ConditionStatus.self, forKey: .status) ?? ""
        self.lastProbeTime = try c.decodeIfPresent(Time.self, forKey: .lastProbeTime)
        self.lastTransitionTime = try c.decodeIfPresent(Time.self, forKey: .lastTransitionTime)
        self.reason = try c.decodeIfPresent(String.self, forKey: .reason)
        self.message = try c.decodeIfPresent(String.self, forKey: .message)
    }
}
