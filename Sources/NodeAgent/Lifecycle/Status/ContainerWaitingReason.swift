/// Why a container is not running, remembered between syncs (kubelet's reason cache): `CrashLoopBackOff`,
/// `ErrImagePull`, `ImagePullBackOff`, `ErrImageNeverPull`, `CreateContainerConfigError`, `CreateContainerError`,
/// `RunContainerError`. Cleared when the container starts.
struct ContainerWaitingReason: Error, Sendable, Equatable {
    var reason: String
    var message: String
}

/// Identifies a container of the pod spec: its name and which list it is in.
struct ContainerKey: Sendable, Hashable {
    var name: String
    var isInit: Bool
}
