import CRI
import FoundationEssentials
import KubeTypes
import Logging
import Synchronization

/// Keeps the node's stats in a cache that a background housekeeping loop refreshes, kubelet-style.
///
/// One pass costs a fixed handful of CRI calls (`ListPodSandboxes`, `ListContainers`, `ListContainerStats`,
/// `ListPodSandboxStats`, `ImageFsInfo`) whatever the number of pods, plus local `/proc`, cgroup and directory reads.
/// Scrapes read the cached `StatsSnapshot` and never call the runtime, so a burst of scrapers cannot load
/// containerd. CPU rates (`usageNanoCores`) come from the difference between this pass and the previous one.
public final class StatsCollector: Sendable {
    private struct State: Sendable {
        var snapshot: StatsSnapshot?
        var loop: Task<Void, Never>?
        var rates = CPURateTracker()
        var sandboxStatsUnsupported = false
    }

    private let runtime: any ContainerRuntime
    private let configuration: StatsCollectorConfiguration
    private let pods: @Sendable () async -> [Pod]
    private let logger: Logger
    private let state = Mutex(State())
    /// Serializes passes: the loop and `refresh()` callers never interleave their rate samples.
    private let passLock = PassLock()
    private let boot = BootTime.read()
    private let machine = MachineInfo.read()

    /// Creates a collector; `pods` lists the node's pods (for claim volumes), usually from the pod store.
    public init(runtime: any ContainerRuntime, configuration: StatsCollectorConfiguration,
                pods: @escaping @Sendable () async -> [Pod] = { [] }, logger: Logger) {
        self.runtime = runtime
        self.configuration = configuration
        self.pods = pods
        self.logger = logger
    }

    /// The latest pass's results, nil before the first pass finished.
    public var snapshot: StatsSnapshot? { state.withLock { $0.snapshot } }

    /// The machine's figures, read once at startup.
    public var machineInfo: MachineInfo { machine }

    /// Starts the housekeeping loop: a pass now, a second one a second later (so CPU rates exist early, the first
    /// sample having none), then one every `housekeepingInterval`.
    public func start() {
        let interval = configuration.housekeepingInterval
        let task = Task { [weak self] in
            guard let self else { return }
            await self.refresh()
            try? await Task.sleep(for: min(.seconds(1), interval))
            while !Task.isCancelled {
                await self.refresh()
                do { try await Task.sleep(for: interval) } catch { return }
            }
        }
        state.withLock { $0.loop = task }
    }

    /// Stops the loop and waits for a pass in progress to end.
    public func stop() async {
        let task = state.withLock { state -> Task<Void, Never>? in
            defer { state.loop = nil }
            return state.loop
        }
        task?.cancel()
        await task?.value
    }

    /// Runs one pass now and publishes its snapshot.
    @discardableResult
    public func refresh() async -> StatsSnapshot {
        await passLock.acquire()
        let snapshot = await collect()
        state.withLock { $0.snapshot = snapshot }
        await passLock.release()
        if !snapshot.errors.isEmpty {
            logger.warning("stats housekeeping: \(snapshot.errors.joined(separator: "; "))")
        }
        return snapshot
    }

    // MARK: One pass

    private func collect() async -> StatsSnapshot {
        var errors: [String] = []
        let owner = configuration.ownerLabels
        func attempt<T>(_ what: String, _ body: () async throws -> T) async -> T? {
            do { return try await body() } catch {
                errors.append("\(what): \(error)")
                return nil
            }
        }
        var sandboxFilter = Runtime_V1_PodSandboxFilter()
        sandboxFilter.labelSelector = owner
        var containerFilter = Runtime_V1_ContainerFilter()
        containerFilter.labelSelector = owner
        var containerStatsFilter = Runtime_V1_ContainerStatsFilter()
        containerStatsFilter.labelSelector = owner
        var sandboxStatsFilter = Runtime_V1_PodSandboxStatsFilter()
        sandboxStatsFilter.labelSelector = owner

        let sandboxes = await attempt("ListPodSandbox") { try await runtime.listPodSandboxes(filter: sandboxFilter) } ?? []
        let containers = await attempt("ListContainers") { try await runtime.listContainers(filter: containerFilter) } ?? []
        let containerStats = await attempt("ListContainerStats") {
            try await runtime.listContainerStats(filter: containerStatsFilter)
        } ?? []
        // containerd 1.6 fails the whole ListPodSandboxStats when a sandbox has no cgroup parent ("cgroupPath is
        // empty"), which is how Swiftlet runs pods; once seen, the call is skipped and the pod figures come from
        // the containers and the pause container's cgroup instead.
        var sandboxStats: [Runtime_V1_PodSandboxStats] = []
        if !state.withLock({ $0.sandboxStatsUnsupported }) {
            do {
                sandboxStats = try await runtime.listPodSandboxStats(filter: sandboxStatsFilter)
            } catch {
                if "\(error)".contains("cgroupPath is empty") {
                    state.withLock { $0.sandboxStatsUnsupported = true }
                    logger.info("the runtime cannot report sandbox stats without a cgroup parent; pod totals come from container and pause cgroups")
                } else {
                    errors.append("ListPodSandboxStats: \(error)")
                }
            }
        }
        let imageFs = await attempt("ImageFsInfo") { try await runtime.imageFsInfo() }
        let podList = await pods()

        let nowNanos = Int64(Date().timeIntervalSince1970 * 1_000_000_000)
        let host = HostSampler(cgroup: configuration.cgroup, boot: boot, machine: machine)
        let rootfsPath = configuration.rootDirectory
        let runtimePID = await configuration.runtimePID()

        return state.withLock { state -> StatsSnapshot in
            var rates = state.rates
            defer {
                rates.endPass()
                state.rates = rates
            }
            let node = host.nodeSummary(
                nodeName: configuration.nodeName, nowNanos: nowNanos, rootfsPath: rootfsPath, imageFs: imageFs,
                runtimePID: runtimePID, rates: &rates)
            var assembler = PodAssembler(
                rootDirectory: rootfsPath, cgroup: configuration.cgroup, nowNanos: nowNanos, podList: podList)
            let assembled = assembler.assemble(
                sandboxes: sandboxes, containers: containers, containerStats: containerStats,
                sandboxStats: sandboxStats, rates: &rates)
            var states: [String: Int] = [:]
            for container in containers { states[Self.stateLabel(container.state), default: 0] += 1 }
            return StatsSnapshot(
                summary: Summary(node: node, pods: assembled.pods), containers: assembled.records,
                containerStates: states, runningPods: sandboxes.filter { $0.state == .sandboxReady }.count,
                machine: machine, collectedAt: Double(nowNanos) / 1e9, errors: errors)
        }
    }

    /// kubelet's `container_state` label values.
    static func stateLabel(_ state: Runtime_V1_ContainerState) -> String {
        switch state {
        case .containerCreated: return "created"
        case .containerRunning: return "running"
        case .containerExited: return "exited"
        default: return "unknown"
        }
    }
}

/// A lock that suspends instead of blocking, so a second `refresh()` waits for the pass in progress.
actor PassLock {
    private var held = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func acquire() async {
        if !held {
            held = true
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    func release() {
        if waiters.isEmpty {
            held = false
        } else {
            waiters.removeFirst().resume()
        }
    }
}
