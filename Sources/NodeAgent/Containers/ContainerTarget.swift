/// One container instance a log, exec or attach request is about, as the runtime knows it.
public struct ContainerTarget: Sendable, Hashable {
    /// The pod's uid.
    public let podUID: String
    /// The pod's namespace.
    public let namespace: String
    /// The pod's name.
    public let podName: String
    /// The container's name in the pod spec.
    public let containerName: String
    /// The runtime's container ID (without the `containerd://` scheme).
    public let containerID: String
    /// The absolute path of the instance's live CRI log file (its rotated files sit next to it).
    public let logPath: String
    /// Whether the instance was running when it was located (exec and attach need a running one).
    public let isRunning: Bool

    /// A target from its parts (fakes and tests; `RuntimeContainerLocator` builds the real ones).
    public init(podUID: String, namespace: String, podName: String, containerName: String, containerID: String,
                logPath: String, isRunning: Bool) {
        self.podUID = podUID
        self.namespace = namespace
        self.podName = podName
        self.containerName = containerName
        self.containerID = containerID
        self.logPath = logPath
        self.isRunning = isRunning
    }
}

/// Finds the runtime container behind `/containerLogs`, `/exec`, `/attach` and similar requests.
///
/// Failures are `APIStatusError`s worded as Kubernetes words them, so the HTTP layer answers them unchanged:
/// 404 for an unknown pod or container, 400 for a container that has not started
/// (`container "x" in pod "y" is waiting to start: ContainerCreating`), for `previous` without a previous instance
/// (`previous terminated container "x" in pod "y" not found`) and for a pod with several containers and no
/// container named (`a container name must be specified for pod y, choose one of: [a b]`).
public protocol ContainerLocating: Sendable {
    /// The container `container` (nil: the pod's only container) of pod `namespace/pod`: its current instance, or
    /// the last terminated one before it when `previous` is true.
    func locate(namespace: String, pod: String, container: String?, previous: Bool) async throws -> ContainerTarget
}
