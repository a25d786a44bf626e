import CRI
import Foundation
import TestSupport

/// Builds CRI configs for one test and removes everything the test created, found by a unique label.
struct PodFixture: Sendable {
    /// Label key every object created by the CRI tests carries.
    static let labelKey = TestRuntime.testLabelKey

    /// Unique per fixture: the cleanup selector.
    let runID: String
    let logDirectory: String

    init() {
        runID = UUID().uuidString.lowercased()
        logDirectory = "/tmp/swiftlet-cri-tests/\(runID)"
    }

    var labels: [String: String] { [Self.labelKey: runID] }

    /// The cgroup (cgroupfs driver) under which this run's sandboxes and containers live.
    var cgroupParent: String { "/swiftlet-cri-tests/\(runID)" }

    func sandboxConfig(name: String, hostNetwork: Bool, attempt: UInt32 = 0) -> Runtime_V1_PodSandboxConfig {
        var config = Runtime_V1_PodSandboxConfig()
        config.metadata.name = name
        config.metadata.namespace = "cri-tests"
        config.metadata.uid = "\(runID)-\(name)"
        config.metadata.attempt = attempt
        config.labels = labels
        config.logDirectory = logDirectory
        config.dnsConfig.servers = ["127.0.0.1"]
        // runc refuses a hostname in the host's UTS namespace.
        if !hostNetwork { config.hostname = name }
        config.linux.securityContext.namespaceOptions.network = hostNetwork ? .node : .pod
        // Sandbox stats need a cgroup parent (containerd: "cgroupPath is empty" otherwise), as the kubelet sets.
        config.linux.cgroupParent = cgroupParent
        return config
    }

    func containerConfig(name: String, image: String, command: [String], attempt: UInt32 = 0)
        -> Runtime_V1_ContainerConfig
    {
        var config = Runtime_V1_ContainerConfig()
        config.metadata.name = name
        config.metadata.attempt = attempt
        config.image.image = image
        config.command = command
        config.labels = labels
        config.logPath = "\(name)_\(attempt).log"
        return config
    }

    /// Removes every sandbox (with its containers) and stray container labelled with this run, and the logs.
    func cleanUp(_ runtime: any ContainerRuntime) async {
        var containerFilter = Runtime_V1_ContainerFilter()
        containerFilter.labelSelector = labels
        for container in (try? await runtime.listContainers(filter: containerFilter)) ?? [] {
            try? await runtime.removeContainer(id: container.id)
        }
        var sandboxFilter = Runtime_V1_PodSandboxFilter()
        sandboxFilter.labelSelector = labels
        for sandbox in (try? await runtime.listPodSandboxes(filter: sandboxFilter)) ?? [] {
            try? await runtime.stopPodSandbox(id: sandbox.id)
            try? await runtime.removePodSandbox(id: sandbox.id)
        }
        try? FileManager.default.removeItem(atPath: logDirectory)
        removeCgroupParents()
    }

    /// runc removes the sandbox and container cgroups but not the parent directories it created for them.
    private func removeCgroupParents() {
        let root = "/sys/fs/cgroup"
        var hierarchies = [root]
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [] {
            hierarchies.append("\(root)/\(entry)")
        }
        for hierarchy in hierarchies {
            // rmdir, not recursive removal: cgroup directories are removed with rmdir(2) once empty.
            rmdir("\(hierarchy)\(cgroupParent)")
            rmdir("\(hierarchy)/swiftlet-cri-tests")
        }
    }

    /// Runs `body`, then cleans up whether it threw or not.
    func run<T: Sendable>(_ runtime: any ContainerRuntime, _ body: () async throws -> T) async throws -> T {
        do {
            let result = try await body()
            await cleanUp(runtime)
            return result
        } catch {
            await cleanUp(runtime)
            throw error
        }
    }

    /// Objects labelled with this run that still exist (for asserting the cleanup).
    func leftovers(_ runtime: any ContainerRuntime) async throws -> Int {
        var sandboxFilter = Runtime_V1_PodSandboxFilter()
        sandboxFilter.labelSelector = labels
        var containerFilter = Runtime_V1_ContainerFilter()
        containerFilter.labelSelector = labels
        return try await runtime.listPodSandboxes(filter: sandboxFilter).count
            + runtime.listContainers(filter: containerFilter).count
    }
}
