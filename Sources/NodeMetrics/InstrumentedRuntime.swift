import CRI
import Synchronization

/// A `ContainerRuntime` that counts and times every call for `/metrics`, then forwards it unchanged.
///
/// It sits between the pod lifecycle engine and the CRI client, so the engine needs no metrics code. Besides the
/// per-operation series it derives kubelet's started/restarted counters from the calls themselves, and remembers
/// image pull time per pod so the pod start SLI can leave pulls out.
public final class InstrumentedRuntime: ContainerRuntime {
    private let base: any ContainerRuntime
    private let metrics: KubeletMetrics
    /// Container id → kubelet `container_type` label, learned at create time for the start counters.
    private let containerTypes = Mutex<[String: String]>([:])
    /// Pod uid → seconds spent pulling images for it.
    private let pullSeconds = Mutex<[String: Double]>([:])

    /// Wraps `base`.
    public init(_ base: any ContainerRuntime, metrics: KubeletMetrics) {
        self.base = base
        self.metrics = metrics
    }

    /// Seconds spent in image pulls for the pod `uid` so far; forgets the pod (called once, when it starts).
    public func takePullSeconds(podUID uid: String) -> Double {
        pullSeconds.withLock { $0.removeValue(forKey: uid) ?? 0 }
    }

    private func measure<T>(_ operation: String, _ body: () async throws -> T) async throws -> T {
        let start = ContinuousClock.now
        metrics.runtimeOperations.increment([operation])
        do {
            let result = try await body()
            metrics.runtimeOperationDuration.observe(ContinuousClock.now - start, [operation])
            return result
        } catch {
            metrics.runtimeOperationDuration.observe(ContinuousClock.now - start, [operation])
            metrics.runtimeOperationErrors.increment([operation])
            throw error
        }
    }

    // MARK: Runtime

    /// Forwards `version`.
    public func version() async throws -> RuntimeVersion { try await measure("version") { try await base.version() } }
    /// Forwards `status`.
    public func status(verbose: Bool) async throws -> RuntimeStatusReport {
        try await measure("status") { try await base.status(verbose: verbose) }
    }

    // MARK: Sandboxes

    /// Forwards `runPodSandbox`; counts started (and restarted, for attempt > 0) pods.
    public func runPodSandbox(_ config: Runtime_V1_PodSandboxConfig, runtimeHandler: String) async throws -> String {
        do {
            let id = try await measure("run_podsandbox") { try await base.runPodSandbox(config, runtimeHandler: runtimeHandler) }
            metrics.startedPods.increment()
            if config.metadata.attempt > 0 { metrics.restartedPods.increment(["false"]) }
            return id
        } catch {
            metrics.startedPodErrors.increment()
            throw error
        }
    }
    /// Forwards `stopPodSandbox`.
    public func stopPodSandbox(id: String) async throws {
        try await measure("stop_podsandbox") { try await base.stopPodSandbox(id: id) }
    }
    /// Forwards `removePodSandbox`.
    public func removePodSandbox(id: String) async throws {
        try await measure("remove_podsandbox") { try await base.removePodSandbox(id: id) }
    }
    /// Forwards `podSandboxStatus`.
    public func podSandboxStatus(id: String, verbose: Bool) async throws -> Runtime_V1_PodSandboxStatusResponse {
        try await measure("podsandbox_status") { try await base.podSandboxStatus(id: id, verbose: verbose) }
    }
    /// Forwards `listPodSandboxes`.
    public func listPodSandboxes(filter: Runtime_V1_PodSandboxFilter?) async throws -> [Runtime_V1_PodSandbox] {
        try await measure("list_podsandbox") { try await base.listPodSandboxes(filter: filter) }
    }

    // MARK: Containers

    /// Forwards `createContainer` and remembers the container's type for the start counters.
    public func createContainer(
        sandboxID: String, config: Runtime_V1_ContainerConfig, sandboxConfig: Runtime_V1_PodSandboxConfig
    ) async throws -> String {
        let id = try await measure("create_container") {
            try await base.createContainer(sandboxID: sandboxID, config: config, sandboxConfig: sandboxConfig)
        }
        let type = config.labels["io.swiftlet.container.type"] == "init" ? "init_container" : "container"
        containerTypes.withLock { $0[id] = type }
        return id
    }
    /// Forwards `startContainer`; counts started containers and start errors by type.
    public func startContainer(id: String) async throws {
        let type = containerTypes.withLock { $0.removeValue(forKey: id) } ?? "container"
        do {
            try await measure("start_container") { try await base.startContainer(id: id) }
            metrics.startedContainers.increment([type])
        } catch {
            let code = (error as? CRIError).map { "\($0.code)" } ?? "unknown"
            metrics.startedContainerErrors.increment([type, code])
            throw error
        }
    }
    /// Forwards `stopContainer`.
    public func stopContainer(id: String, timeout: Int64) async throws {
        try await measure("stop_container") { try await base.stopContainer(id: id, timeout: timeout) }
    }
    /// Forwards `removeContainer`.
    public func removeContainer(id: String) async throws {
        containerTypes.withLock { _ = $0.removeValue(forKey: id) }
        try await measure("remove_container") { try await base.removeContainer(id: id) }
    }
    /// Forwards `listContainers`.
    public func listContainers(filter: Runtime_V1_ContainerFilter?) async throws -> [Runtime_V1_Container] {
        try await measure("list_containers") { try await base.listContainers(filter: filter) }
    }
    /// Forwards `containerStatus`.
    public func containerStatus(id: String, verbose: Bool) async throws -> Runtime_V1_ContainerStatusResponse {
        try await measure("container_status") { try await base.containerStatus(id: id, verbose: verbose) }
    }
    /// Forwards `updateContainerResources`.
    public func updateContainerResources(id: String, linux: Runtime_V1_LinuxContainerResources) async throws {
        try await measure("update_container") { try await base.updateContainerResources(id: id, linux: linux) }
    }
    /// Forwards `reopenContainerLog`.
    public func reopenContainerLog(id: String) async throws {
        try await measure("reopen_container_log") { try await base.reopenContainerLog(id: id) }
    }
    /// Forwards `execSync`.
    public func execSync(id: String, command: [String], timeout: Duration?) async throws -> ExecSyncResult {
        try await measure("exec_sync") { try await base.execSync(id: id, command: command, timeout: timeout) }
    }
    /// Forwards `exec`.
    public func exec(_ request: Runtime_V1_ExecRequest) async throws -> String {
        try await measure("exec") { try await base.exec(request) }
    }
    /// Forwards `attach`.
    public func attach(_ request: Runtime_V1_AttachRequest) async throws -> String {
        try await measure("attach") { try await base.attach(request) }
    }
    /// Forwards `portForward`.
    public func portForward(_ request: Runtime_V1_PortForwardRequest) async throws -> String {
        try await measure("port_forward") { try await base.portForward(request) }
    }

    // MARK: Stats

    /// Forwards `containerStats`.
    public func containerStats(id: String) async throws -> Runtime_V1_ContainerStats {
        try await measure("container_stats") { try await base.containerStats(id: id) }
    }
    /// Forwards `listContainerStats`.
    public func listContainerStats(filter: Runtime_V1_ContainerStatsFilter?) async throws -> [Runtime_V1_ContainerStats] {
        try await measure("list_container_stats") { try await base.listContainerStats(filter: filter) }
    }
    /// Forwards `podSandboxStats`.
    public func podSandboxStats(id: String) async throws -> Runtime_V1_PodSandboxStats {
        try await measure("podsandbox_stats") { try await base.podSandboxStats(id: id) }
    }
    /// Forwards `listPodSandboxStats`.
    public func listPodSandboxStats(filter: Runtime_V1_PodSandboxStatsFilter?) async throws -> [Runtime_V1_PodSandboxStats] {
        try await measure("list_podsandbox_stats") { try await base.listPodSandboxStats(filter: filter) }
    }

    // MARK: Images

    /// Forwards `pullImage` and adds its time to the pod's pull total.
    public func pullImage(
        _ image: String, auth: Runtime_V1_AuthConfig?, sandboxConfig: Runtime_V1_PodSandboxConfig?
    ) async throws -> String {
        let start = ContinuousClock.now
        defer {
            if let uid = sandboxConfig?.metadata.uid, !uid.isEmpty {
                let elapsed = ContinuousClock.now - start
                let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                pullSeconds.withLock { $0[uid, default: 0] += seconds }
            }
        }
        return try await measure("pull_image") { try await base.pullImage(image, auth: auth, sandboxConfig: sandboxConfig) }
    }
    /// Forwards `imageStatus`.
    public func imageStatus(_ image: String) async throws -> Runtime_V1_Image? {
        try await measure("image_status") { try await base.imageStatus(image) }
    }
    /// Forwards `listImages`.
    public func listImages(filter: Runtime_V1_ImageFilter?) async throws -> [Runtime_V1_Image] {
        try await measure("list_images") { try await base.listImages(filter: filter) }
    }
    /// Forwards `removeImage`.
    public func removeImage(_ image: String) async throws {
        try await measure("remove_image") { try await base.removeImage(image) }
    }
    /// Forwards `imageFsInfo`.
    public func imageFsInfo() async throws -> Runtime_V1_ImageFsInfoResponse {
        try await measure("image_fs_info") { try await base.imageFsInfo() }
    }
}
