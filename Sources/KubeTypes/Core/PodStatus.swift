/// Observed state of a pod (`v1.PodStatus`), every field of current Kubernetes, in its order.
public struct PodStatus: Codable, Sendable, Equatable {
    /// Generation of the spec this status reflects.
    public var observedGeneration: Int64?
    /// `Pending`, `Running`, `Succeeded`, `Failed` or `Unknown`.
    public var phase: PodPhase?
    /// Current conditions.
    public var conditions: [PodCondition]?
    /// Human-readable reason for the current state.
    public var message: String?
    /// CamelCase reason, e.g. `DeadlineExceeded`.
    public var reason: String?
    /// Node nominated by preemption.
    public var nominatedNodeName: String?
    /// Primary IP of the node.
    public var hostIP: String?
    /// IPs of the node.
    public var hostIPs: [HostIP]?
    /// Primary IP of the pod.
    public var podIP: String?
    /// IPs of the pod.
    public var podIPs: [PodIP]?
    /// When the node accepted the pod.
    public var startTime: Time?
    /// Status of each init container.
    public var initContainerStatuses: [ContainerStatus]?
    /// Status of each app container.
    public var containerStatuses: [ContainerStatus]?
    /// `Guaranteed`, `Burstable` or `BestEffort`.
    public var qosClass: PodQOSClass?
    /// Status of each ephemeral container.
    public var ephemeralContainerStatuses: [ContainerStatus]?
    /// Deprecated in-place resize status.
    public var resize: String?
    /// Kept as given.
    public var resourceClaimStatuses: JSONValue?
    /// Kept as given.
    public var extendedResourceClaimStatus: JSONValue?
    /// Pod-level allocated resources.
    public var allocatedResources: ResourceList?
    /// Pod-level resources actually configured.
    public var resources: ResourceRequirements?
    /// Kept as given.
    public var nodeAllocatableResourceClaimStatuses: JSONValue?
    /// Kept as given.
    public var volumeHealth: JSONValue?

    /// Creates a `PodStatus`; every optional field defaults to absent.
    public init(
        observedGeneration: Int64? = nil,
        phase: PodPhase? = nil,
        conditions: [PodCondition]? = nil,
        message: String? = nil,
        reason: String? = nil,
        nominatedNodeName: String? = nil,
        hostIP: String? = nil,
        hostIPs: [HostIP]? = nil,
        podIP: String? = nil,
        podIPs: [PodIP]? = nil,
        startTime: Time? = nil,
        initContainerStatuses: [ContainerStatus]? = nil,
        containerStatuses: [ContainerStatus]? = nil,
        qosClass: PodQOSClass? = nil,
        ephemeralContainerStatuses: [ContainerStatus]? = nil,
        resize: String? = nil,
        resourceClaimStatuses: JSONValue? = nil,
        extendedResourceClaimStatus: JSONValue? = nil,
        allocatedResources: ResourceList? = nil,
        resources: ResourceRequirements? = nil,
        nodeAllocatableResourceClaimStatuses: JSONValue? = nil,
        volumeHealth: JSONValue? = nil
    ) {
        self.observedGeneration = observedGeneration
        self.phase = phase
        self.conditions = conditions
        self.message = message
        self.reason = reason
        self.nominatedNodeName = nominatedNodeName
        self.hostIP = hostIP
        self.hostIPs = hostIPs
        self.podIP = podIP
        self.podIPs = podIPs
        self.startTime = startTime
        self.initContainerStatuses = initContainerStatuses
        self.containerStatuses = containerStatuses
        self.qosClass = qosClass
        self.ephemeralContainerStatuses = ephemeralContainerStatuses
        self.resize = resize
        self.resourceClaimStatuses = resourceClaimStatuses
        self.extendedResourceClaimStatus = extendedResourceClaimStatus
        self.allocatedResources = allocatedResources
        self.resources = resources
        self.nodeAllocatableResourceClaimStatuses = nodeAllocatableResourceClaimStatuses
        self.volumeHealth = volumeHealth
    }

    enum CodingKeys: String, CodingKey {
        case observedGeneration
        case phase
        case conditions
        case message
        case reason
        case nominatedNodeName
        case hostIP
        case hostIPs
        case podIP
        case podIPs
        case startTime
        case initContainerStatuses
        case containerStatuses
        case qosClass
        case ephemeralContainerStatuses
        case resize
        case resourceClaimStatuses
        case extendedResourceClaimStatus
        case allocatedResources
        case resources
        case nodeAllocatableResourceClaimStatuses
        case volumeHealth
    }
}

/// One IP of the node.
public struct HostIP: Codable, Sendable, Equatable {
    /// The address.
    public var ip: String

    /// Creates a `HostIP`; every optional field defaults to absent.
    public init(ip: String = "") {
        self.ip = ip
    }

    enum CodingKeys: String, CodingKey {
        case ip
    }
}

extension HostIP {
    /// Decodes the Kubernetes JSON form; a required field that is absent takes its zero value, so that
    /// validation (not the decoder) reports it the way the API server does.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.ip = try c.decodeIfPresent(String.self, forKey: .ip) ?? ""
    }
}

/// One IP of the pod.
public struct PodIP: Codable, Sendable, Equatable {
    /// The address.
    public var ip: String

    /// Creates a `PodIP`; every optional field defaults to absent.
    public init(ip: String = "") {
        self.ip = ip
    }

    enum CodingKeys: String, CodingKey {
        case ip
    }
}

extension PodIP {
    /// Decodes the Kubernetes JSON form; a required field that is absent takes its zero value, so that
    /// validation (not the decoder) reports it the way the API server does.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.ip = try c.decodeIfPresent(String.self, forKey: .ip) ?? ""
    }
}
