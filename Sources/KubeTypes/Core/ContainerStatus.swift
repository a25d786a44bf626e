/// Observed state of one container (`v1.ContainerStatus`).
public struct ContainerStatus: Codable, Sendable, Equatable {
    /// Container name.
    public var name: String
    /// Current state.
    public var state: ContainerState?
    /// Previous termination, if any.
    public var lastState: ContainerState?
    /// Whether the readiness probe passes.
    public var ready: Bool
    /// Number of restarts.
    public var restartCount: Int32
    /// Image the container runs.
    public var image: String
    /// Resolved image ID.
    public var imageID: String
    /// `containerd://<id>`.
    public var containerID: String?
    /// Whether the startup probe (or start) has succeeded.
    public var started: Bool?
    /// Resources the node allocated.
    public var allocatedResources: ResourceList?
    /// Resources actually configured.
    public var resources: ResourceRequirements?
    /// Status of each volume mount.
    public var volumeMounts: [VolumeMountStatus]?
    /// Identity of the first process.
    public var user: ContainerUser?
    /// Health of allocated devices; kept as given.
    public var allocatedResourcesStatus: JSONValue?
    /// Signal that stops the container.
    public var stopSignal: String?

    /// Creates a `ContainerStatus`; every optional field defaults to absent.
    public init(
        name: String = "",
        state: ContainerState? = nil,
        lastState: ContainerState? = nil,
        ready: Bool = false,
        restartCount: Int32 = 0,
        image: String = "",
        imageID: String = "",
        containerID: String? = nil,
        started: Bool? = nil,
        allocatedResources: ResourceList? = nil,
        resources: ResourceRequirements? = nil,
        volumeMounts: [VolumeMountStatus]? = nil,
        user: ContainerUser? = nil,
        allocatedResourcesStatus: JSONValue? = nil,
        stopSignal: String? = nil
    ) {
        self.name = name
        self.state = state
        self.lastState = lastState
        self.ready = ready
        self.restartCount = restartCount
        self.image = image
        self.imageID = imageID
        self.containerID = containerID
        self.started = started
        self.allocatedResources = allocatedResources
        self.resources = resources
        self.volumeMounts = volumeMounts
        self.user = user
        self.allocatedResourcesStatus = allocatedResourcesStatus
        self.stopSignal = stopSignal
    }

    enum CodingKeys: String, CodingKey {
        case name
        case state
        case lastState
        case ready
        case restartCount
        case image
        case imageID
        case containerID
        case started
        case allocatedResources
        case resources
        case volumeMounts
        case user
        case allocatedResourcesStatus
        case stopSignal
    }
}

extension ContainerStatus {
    /// Decodes the Kubernetes JSON form; a required field that is absent takes its zero value, so that
    /// validation (not the decoder) reports it the way the API server does.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.name = try c.decodeIfPresent(String.self, forKey: .name) ?? ""
        self.state = try c.decodeIfPresent(ContainerState.self, forKey: .state)
        self.lastState = try c.decodeIfPresent(ContainerState.self, forKey: .lastState)
        self.ready = try c.decodeIfPresent(Bool.self, forKey: .ready) ?? false
        self.restartCount = try c.decodeIfPresent(Int32.self, forKey: .restartCount) ?? 0
        self.image = try c.decodeIfPresent(String.self, forKey: .image) ?? ""
        self.imageID = try c.decodeIfPresent(String.self, forKey: .imageID) ?? ""
        self.containerID = try c.decodeIfPresent(String.self, forKey: .containerID)
        self.started = try c.decodeIfPresent(Bool.self, forKey: .started)
        self.allocatedResources = try c.decodeIfPresent(ResourceList.self, forKey: .allocatedResources)
        self.resources = try c.decodeIfPresent(ResourceRequirements.self, forKey: .resources)
        self.volumeMounts = try c.decodeIfPresent([VolumeMountStatus].self, forKey: .volumeMounts)
        self.user = try c.decodeIfPresent(ContainerUser.self, forKey: .user)
        self.allocatedResourcesStatus = try c.decodeIfPresent(JSONValue.self, forKey: .allocatedResourcesStatus)
        self.stopSignal = try c.decodeIfPresent(String.self, forKey: .stopSignal)
    }
}

/// Status of one volume mount.
public struct VolumeMountStatus: Codable, Sendable, Equatable {
    /// Volume name.
    public var name: String
    /// Path in the container.
    public var mountPath: String
    /// Mounted read-only.
    public var readOnly: Bool?
    /// Recursive read-only mode in effect.
    public var recursiveReadOnly: String?
    /// Volume status; kept as given.
    public var volumeStatus: JSONValue?

    /// Creates a `VolumeMountStatus`; every optional field defaults to absent.
    public init(
        name: String = "",
        mountPath: String = "",
        readOnly: Bool? = nil,
        recursiveReadOnly: String? = nil,
        volumeStatus: JSONValue? = nil
    ) {
        self.name = name
        self.mountPath = mountPath
        self.readOnly = readOnly
        self.recursiveReadOnly = recursiveReadOnly
        self.volumeStatus = volumeStatus
    }

    enum CodingKeys: String, CodingKey {
        case name
        case mountPath
        case readOnly
        case recursiveReadOnly
        case volumeStatus
    }
}

extension VolumeMountStatus {
    /// Decodes the Kubernetes JSON form; a required field that is absent takes its zero value, so that
    /// validation (not the decoder) reports it the way the API server does.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.name = try c.decodeIfPresent(String.self, forKey: .name) ?? ""
        self.mountPath = try c.decodeIfPresent(String.self, forKey: .mountPath) ?? ""
        self.readOnly = try c.decodeIfPresent(Bool.self, forKey: .readOnly)
        self.recursiveReadOnly = try c.decodeIfPresent(String.self, forKey: .recursiveReadOnly)
        self.volumeStatus = try c.decodeIfPresent(JSONValue.self, forKey: .volumeStatus)
    }
}

/// Identity of a container's first process.
public struct ContainerUser: Codable, Sendable, Equatable {
    /// Linux identity.
    public var linux: LinuxContainerUser?

    /// Creates a `ContainerUser`; every optional field defaults to absent.
    public init(linux: LinuxContainerUser? = nil) {
        self.linux = linux
    }

    enum CodingKeys: String, CodingKey {
        case linux
    }
}

/// Linux UID, GID and groups of a container's first process.
public struct LinuxContainerUser: Codable, Sendable, Equatable {
    /// UID.
    public var uid: Int64
    /// GID.
    public var gid: Int64
    /// Supplementary groups.
    public var supplementalGroups: [Int64]?

    /// Creates a `LinuxContainerUser`; every optional field defaults to absent.
    public init(
        uid: Int64 = 0,
        gid: Int64 = 0,
        supplementalGroups: [Int64]? = nil
    ) {
        self.uid = uid
        self.gid = gid
        self.supplementalGroups = supplementalGroups
    }

    enum CodingKeys: String, CodingKey {
        case uid
        case gid
        case supplementalGroups
    }
}

extension LinuxContainerUser {
    /// Decodes the Kubernetes JSON form; a required field that is absent takes its zero value, so that
    /// validation (not the decoder) reports it the way the API server does.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.uid = try c.decodeIfPresent(Int64.self, forKey: .uid) ?? 0
        self.gid = try c.decodeIfPresent(Int64.self, forKey: .gid) ?? 0
        self.supplementalGroups = try c.decodeIfPresent([Int64].self, forKey: .supplementalGroups)
    }
}
