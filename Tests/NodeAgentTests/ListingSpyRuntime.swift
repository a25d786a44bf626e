import CRI
import Synchronization

/// Forwards every call to the real client and counts the list calls that select one pod (a worker's own view),
/// as opposed to the relist's listing of every pod.
final class ListingSpyRuntime: ContainerRuntime {
    private let base: any ContainerRuntime
    private let perPodLists = Atomic<Int>(0)

    init(_ base: any ContainerRuntime) { self.base = base }

    /// List calls whose label selector names a pod uid.
    var perPodListCalls: Int { perPodLists.load(ordering: .relaxed) }

    private func count(_ selector: [String: String]?) {
        if selector?["io.kubernetes.pod.uid"] != nil { perPodLists.add(1, ordering: .relaxed) }
    }

    func listPodSandboxes(filter: Runtime_V1_PodSandboxFilter?) async throws -> [Runtime_V1_PodSandbox] {
        count(filter?.labelSelector)
        return try await base.listPodSandboxes(filter: filter)
    }

    func listContainers(filter: Runtime_V1_ContainerFilter?) async throws -> [Runtime_V1_Container] {
        count(filter?.labelSelector)
        return try await base.listContainers(filter: filter)
    }

    // Everything else is forwarded unchanged.
    func version() async throws -> RuntimeVersion { try await base.version() }
    func status(verbose: Bool) async throws -> RuntimeStatusReport { try await base.status(verbose: verbose) }
    func runPodSandbox(_ config: Runtime_V1_PodSandboxConfig, runtimeHandler: String) async throws -> String {
        try await base.runPodSandbox(config, runtimeHandler: runtimeHandler)
    }
    func stopPodSandbox(id: String) async throws { try await base.stopPodSandbox(id: id) }
    func removePodSandbox(id: String) async throws { try await base.removePodSandbox(id: id) }
    func podSandboxStatus(id: String, verbose: Bool) async throws -> Runtime_V1_PodSandboxStatusResponse {
        try await base.podSandboxStatus(id: id, verbose: verbose)
    }
    func createContainer(
        sandboxID: String, config: Runtime_V1_ContainerConfig, sandboxConfig: Runtime_V1_PodSandboxConfig
    ) async throws -> String {
        try await base.createContainer(sandboxID: sandboxID, config: config, sandboxConfig: sandboxConfig)
    }
    func startContainer(id: String) async throws { try await base.startContainer(id: id) }
    func stopContainer(id: String, timeout: Int64) async throws { try await base.stopContainer(id: id, timeout: timeout) }
    func removeContainer(id: String) async throws { try await base.removeContainer(id: id) }
    func containerStatus(id: String, verbose: Bool) async throws -> Runtime_V1_ContainerStatusResponse {
        try await base.containerStatus(id: id, verbose: verbose)
    }
    func updateContainerResources(id: String, linux: Runtime_V1_LinuxContainerResources) async throws {
        try await base.updateContainerResources(id: id, linux: linux)
    }
    func reopenContainerLog(id: String) async throws { try await base.reopenContainerLog(id: id) }
    func execSync(id: String, command: [String], timeout: Duration?) async throws -> ExecSyncResult {
        try await base.execSync(id: id, command: command, timeout: timeout)
    }
    func exec(_ request: Runtime_V1_ExecRequest) async throws -> String { try await base.exec(request) }
    func attach(_ request: Runtime_V1_AttachRequest) async throws -> String { try await base.attach(request) }
    func portForward(_ request: Runtime_V1_PortForwardRequest) async throws -> String { try await base.portForward(request) }
    func containerStats(id: String) async throws -> Runtime_V1_ContainerStats { try await base.containerStats(id: id) }
    func listContainerStats(filter: Runtime_V1_ContainerStatsFilter?) async throws -> [Runtime_V1_ContainerStats] {
        try await base.listContainerStats(filter: filter)
    }
    func podSandboxStats(id: String) async throws -> Runtime_V1_PodSandboxStats { try await base.podSandboxStats(id: id) }
    func listPodSandboxStats(filter: Runtime_V1_PodSandboxStatsFilter?) async throws -> [Runtime_V1_PodSandboxStats] {
        try await base.listPodSandboxStats(filter: filter)
    }
    func pullImage(
        _ image: String, auth: Runtime_V1_AuthConfig?, sandboxConfig: Runtime_V1_PodSandboxConfig?
    ) async throws -> String {
        try await base.pullImage(image, auth: auth, sandboxConfig: sandboxConfig)
    }
    func imageStatus(_ image: String) async throws -> Runtime_V1_Image? { try await base.imageStatus(image) }
    func listImages(filter: Runtime_V1_ImageFilter?) async throws -> [Runtime_V1_Image] {
        try await base.listImages(filter: filter)
    }
    func removeImage(_ image: String) async throws { try await base.removeImage(image) }
    func imageFsInfo() async throws -> Runtime_V1_ImageFsInfoResponse { try await base.imageFsInfo() }
}
