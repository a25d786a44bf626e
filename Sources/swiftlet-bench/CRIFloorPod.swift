import CRI
import Foundation

/// One pod brought to running straight through the CRI, the way the floor measures it: RunPodSandbox,
/// CreateContainer and StartContainer of a sleeping container, no HTTP and no pod manager.
struct CRIFloorPod {
    let sandboxID: String
    let containerID: String
    /// From just before RunPodSandbox to StartContainer's answer.
    let milliseconds: Double

    /// Starts the pod and times it. The sandbox carries `bench.swiftlet.io/floor` so it is never mistaken for one
    /// of Swiftlet's (whose label is `swiftlet.io/managed`).
    static func start(_ runtime: GRPCContainerRuntime, name: String, hostNetwork: Bool, image: String, logRoot: String) async throws -> CRIFloorPod {
        var sandbox = Runtime_V1_PodSandboxConfig()
        sandbox.metadata.name = name
        sandbox.metadata.namespace = "bench"
        sandbox.metadata.uid = "bench-\(getpid())-\(name)"
        sandbox.logDirectory = "\(logRoot)/\(name)"
        sandbox.labels = ["bench.swiftlet.io/floor": "true"]
        if !hostNetwork { sandbox.hostname = name }
        sandbox.linux.securityContext.namespaceOptions.network = hostNetwork ? .node : .pod
        var container = Runtime_V1_ContainerConfig()
        container.metadata.name = "app"
        container.image.image = image
        container.command = ["sleep", "3600"]
        container.logPath = "app.log"
        let started = monotonicNanos()
        let sandboxID = try await runtime.runPodSandbox(sandbox, runtimeHandler: "")
        let containerID = try await runtime.createContainer(sandboxID: sandboxID, config: container, sandboxConfig: sandbox)
        try await runtime.startContainer(id: containerID)
        let elapsed = elapsedMilliseconds(from: started, to: monotonicNanos())
        return CRIFloorPod(sandboxID: sandboxID, containerID: containerID, milliseconds: elapsed)
    }

    /// Stops and removes the pod (never timed).
    func remove(_ runtime: GRPCContainerRuntime) async throws {
        try await runtime.stopContainer(id: containerID, timeout: 0)
        try await runtime.stopPodSandbox(id: sandboxID)
        try await runtime.removePodSandbox(id: sandboxID)
    }
}
