
/// What Swiftlet needs from a container runtime: the CRI `runtime.v1` runtime and image services.
///
/// The pod lifecycle code depends only on this protocol. Every method throws `CRIError`, which keeps the gRPC
/// status code and message; every call has a deadline and honours task cancellation. Messages are the
/// generated `Runtime_V1_*` types so no field of the CRI is out of reach.
public protocol ContainerRuntime: Sendable {
    // MARK: Runtime

    /// The runtime's name and versions.
    func version() async throws -> RuntimeVersion
    /// The runtime's conditions (`RuntimeReady`, `NetworkReady`); `verbose` adds the runtime's info map.
    func status(verbose: Bool) async throws -> RuntimeStatusReport

    // MARK: Sandboxes

    /// Creates and starts a pod sandbox; returns its id.
    ///
    /// Safe after an ambiguous failure: if the call fails with `unavailable` or `deadlineExceeded`, the sandbox
    /// is looked up by its metadata (name, namespace, uid, attempt) before the create is tried once more.
    func runPodSandbox(_ config: Runtime_V1_PodSandboxConfig, runtimeHandler: String) async throws -> String
    /// Stops a sandbox: kills its containers at once (stop containers with a grace period first) and tears down
    /// its network. Idempotent.
    func stopPodSandbox(id: String) async throws
    /// Removes a sandbox and all its containers, even running ones. Idempotent.
    func removePodSandbox(id: String) async throws
    /// The full status response of a sandbox (`info` filled when `verbose`).
    func podSandboxStatus(id: String, verbose: Bool) async throws -> Runtime_V1_PodSandboxStatusResponse
    /// The sandboxes that match `filter` (all when nil).
    func listPodSandboxes(filter: Runtime_V1_PodSandboxFilter?) async throws -> [Runtime_V1_PodSandbox]

    // MARK: Containers

    /// Creates a container in a sandbox; returns its id. Made safe after ambiguous failures the same way as
    /// `runPodSandbox`, matching on the container's metadata name and attempt inside the sandbox.
    func createContainer(
        sandboxID: String, config: Runtime_V1_ContainerConfig, sandboxConfig: Runtime_V1_PodSandboxConfig
    ) async throws -> String
    /// Starts a created container.
    func startContainer(id: String) async throws
    /// Stops a container: SIGTERM (or the image's stop signal), then SIGKILL after `timeout` seconds. The call's
    /// deadline is the grace period plus a margin, so it does not give up before the runtime does.
    func stopContainer(id: String, timeout: Int64) async throws
    /// Removes a container (a running one is killed first). Idempotent.
    func removeContainer(id: String) async throws
    /// The containers that match `filter` (all when nil).
    func listContainers(filter: Runtime_V1_ContainerFilter?) async throws -> [Runtime_V1_Container]
    /// The full status response of a container (`info` filled when `verbose`).
    func containerStatus(id: String, verbose: Bool) async throws -> Runtime_V1_ContainerStatusResponse
    /// Changes the Linux resources (cgroup limits) of a running container.
    func updateContainerResources(id: String, linux: Runtime_V1_LinuxContainerResources) async throws
    /// Makes the runtime reopen the container's log file (after the caller renamed it, for rotation).
    func reopenContainerLog(id: String) async throws
    /// Runs a command in a container and waits for it. `timeout` nil means no limit on the runtime's side
    /// (the call still has a client deadline). A non-zero exit code is a result, not an error.
    func execSync(id: String, command: [String], timeout: Duration?) async throws -> ExecSyncResult
    /// Prepares a streaming exec; returns the URL of the runtime's stream server.
    func exec(_ request: Runtime_V1_ExecRequest) async throws -> String
    /// Prepares a streaming attach; returns the URL of the runtime's stream server.
    func attach(_ request: Runtime_V1_AttachRequest) async throws -> String
    /// Prepares a port forward into a sandbox; returns the URL of the runtime's stream server.
    func portForward(_ request: Runtime_V1_PortForwardRequest) async throws -> String

    // MARK: Stats

    /// Resource usage of one container.
    func containerStats(id: String) async throws -> Runtime_V1_ContainerStats
    /// Resource usage of the containers that match `filter` (all when nil).
    func listContainerStats(filter: Runtime_V1_ContainerStatsFilter?) async throws -> [Runtime_V1_ContainerStats]
    /// Resource usage of one sandbox.
    func podSandboxStats(id: String) async throws -> Runtime_V1_PodSandboxStats
    /// Resource usage of the sandboxes that match `filter` (all when nil).
    func listPodSandboxStats(filter: Runtime_V1_PodSandboxStatsFilter?) async throws -> [Runtime_V1_PodSandboxStats]

    // MARK: Images

    /// Pulls an image; returns the image reference the runtime resolved (usually the image id).
    /// A missing image fails with `CRIError` code `.notFound`.
    func pullImage(
        _ image: String, auth: Runtime_V1_AuthConfig?, sandboxConfig: Runtime_V1_PodSandboxConfig?
    ) async throws -> String
    /// The image with this reference, or nil when the runtime does not have it.
    func imageStatus(_ image: String) async throws -> Runtime_V1_Image?
    /// The images that match `filter` (all when nil).
    func listImages(filter: Runtime_V1_ImageFilter?) async throws -> [Runtime_V1_Image]
    /// Removes an image (by tag this removes the image id and all its tags). Idempotent.
    func removeImage(_ image: String) async throws
    /// Usage of the filesystems that hold images and container layers.
    func imageFsInfo() async throws -> Runtime_V1_ImageFsInfoResponse
}
