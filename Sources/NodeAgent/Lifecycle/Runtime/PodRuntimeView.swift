import CRI

/// The state of one container instance as the runtime reports it.
struct ContainerInstance: Sendable, Equatable {
    enum State: Sendable, Equatable {
        case created
        case running
        case exited
        case unknown
    }

    var id: String
    var sandboxID: String
    /// The container's name in the pod spec.
    var name: String
    /// The CRI attempt, which is also the restart count this instance stands for.
    var attempt: UInt32
    var isInit: Bool
    var state: State
    /// Nanoseconds since the epoch (0 when unset).
    var createdAt: Int64
    var startedAt: Int64
    var finishedAt: Int64
    var exitCode: Int32
    var reason: String
    var message: String
    var image: String
    var imageRef: String
    /// Mounts as the runtime applied them (the termination-message file is found here).
    var mounts: [Runtime_V1_Mount]
    var logPath: String
    var annotations: [String: String]

    init(status: Runtime_V1_ContainerStatus, sandboxID: String, labels: [String: String]) {
        id = status.id
        self.sandboxID = sandboxID
        name = labels[RuntimeLabels.containerName] ?? status.metadata.name
        attempt = status.metadata.attempt
        isInit = labels[RuntimeLabels.containerType] == "init"
        state = Self.state(status.state)
        createdAt = status.createdAt
        startedAt = status.startedAt
        finishedAt = status.finishedAt
        exitCode = status.exitCode
        reason = status.reason
        message = status.message
        image = status.image.image
        imageRef = status.imageRef
        mounts = status.mounts
        logPath = status.logPath
        annotations = status.annotations
    }

    /// Used by unit tests and fakes.
    init(
        id: String, sandboxID: String, name: String, attempt: UInt32, isInit: Bool = false, state: State,
        createdAt: Int64 = 0, startedAt: Int64 = 0, finishedAt: Int64 = 0, exitCode: Int32 = 0, reason: String = "",
        message: String = "", image: String = "", imageRef: String = ""
    ) {
        self.id = id
        self.sandboxID = sandboxID
        self.name = name
        self.attempt = attempt
        self.isInit = isInit
        self.state = state
        self.createdAt = createdAt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.exitCode = exitCode
        self.reason = reason
        self.message = message
        self.image = image
        self.imageRef = imageRef
        self.mounts = []
        self.logPath = ""
        self.annotations = [:]
    }

    static func state(_ state: Runtime_V1_ContainerState) -> State {
        switch state {
        case .containerCreated: return .created
        case .containerRunning: return .running
        case .containerExited: return .exited
        default: return .unknown
        }
    }
}

/// One sandbox of the pod as the runtime reports it.
struct SandboxInstance: Sendable, Equatable {
    var id: String
    var attempt: UInt32
    var ready: Bool
    var createdAt: Int64
    /// The pod IPs (primary first); empty for host-network sandboxes and stopped ones.
    var ips: [String]
}

/// Everything the runtime knows about one pod: its sandboxes and container instances.
struct PodRuntimeView: Sendable, Equatable {
    /// Newest first.
    var sandboxes: [SandboxInstance] = []
    /// Newest first (by creation time, then attempt).
    var containers: [ContainerInstance] = []

    init(sandboxes: [SandboxInstance] = [], containers: [ContainerInstance] = []) {
        self.sandboxes = sandboxes.sorted { ($0.createdAt, $0.attempt) > ($1.createdAt, $1.attempt) }
        self.containers = containers.sorted { ($0.createdAt, $0.attempt) > ($1.createdAt, $1.attempt) }
    }

    /// The newest sandbox.
    var latestSandbox: SandboxInstance? { sandboxes.first }

    /// The newest sandbox when it is ready.
    var readySandbox: SandboxInstance? {
        guard let latest = sandboxes.first, latest.ready else { return nil }
        return latest
    }

    /// Instances of `name` (newest first), in any sandbox.
    func instances(of name: String, isInit: Bool) -> [ContainerInstance] {
        containers.filter { $0.name == name && $0.isInit == isInit }
    }

    /// The newest instance of `name`.
    func latest(_ name: String, isInit: Bool) -> ContainerInstance? {
        containers.first { $0.name == name && $0.isInit == isInit }
    }

    /// The newest instance of `name` in sandbox `sandboxID`.
    func latest(_ name: String, isInit: Bool, inSandbox sandboxID: String) -> ContainerInstance? {
        containers.first { $0.name == name && $0.isInit == isInit && $0.sandboxID == sandboxID }
    }

    /// The running container instances.
    var running: [ContainerInstance] { containers.filter { $0.state == .running } }
}
