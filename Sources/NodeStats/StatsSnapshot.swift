/// One housekeeping pass's results: what every stats and metrics route serves until the next pass.
public struct StatsSnapshot: Sendable {
    /// The Summary API document.
    public var summary: Summary
    /// Running containers with the extra figures cAdvisor exports.
    public var containers: [ContainerRecord]
    /// Containers of owned pods by CRI state (`created`, `running`, `exited`, `unknown`).
    public var containerStates: [String: Int]
    /// Pods whose sandbox is ready.
    public var runningPods: Int
    /// The machine's cores and memory.
    public var machine: MachineInfo
    /// When the pass finished, in seconds since the epoch.
    public var collectedAt: Double
    /// The runtime errors of the pass, if any (the snapshot then holds what could be read).
    public var errors: [String]

    /// Creates a snapshot.
    public init(summary: Summary, containers: [ContainerRecord], containerStates: [String: Int], runningPods: Int,
                machine: MachineInfo, collectedAt: Double, errors: [String]) {
        self.summary = summary
        self.containers = containers
        self.containerStates = containerStates
        self.runningPods = runningPods
        self.machine = machine
        self.collectedAt = collectedAt
        self.errors = errors
    }
}

/// A running container as the cAdvisor-style metrics describe it.
public struct ContainerRecord: Sendable, Equatable {
    /// The pod it belongs to.
    public var pod: PodReference
    /// The container's name in the pod spec.
    public var name: String
    /// The runtime's container id.
    public var id: String
    /// The image reference the container runs.
    public var image: String
    /// When the container was created, in seconds since the epoch.
    public var startTimeSeconds: Double
    /// Cumulative CPU, core-nanoseconds.
    public var cpuCoreNanoSeconds: UInt64?
    /// Memory working set.
    public var memoryWorkingSetBytes: UInt64?
    /// Memory usage.
    public var memoryUsageBytes: UInt64?
    /// Memory RSS.
    public var memoryRSSBytes: UInt64?
    /// Writable layer bytes.
    public var rootfsUsedBytes: UInt64?
    /// The pod's network (cAdvisor reports it on every container of the pod's network namespace).
    public var network: NetworkStats?
    /// cgroup figures, nil when the group could not be found.
    public var cgroup: ContainerCgroupDetails?
    /// When the stats were taken, seconds since the epoch.
    public var timestampSeconds: Double
}
