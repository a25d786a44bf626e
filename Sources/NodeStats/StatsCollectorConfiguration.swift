/// How the stats collector runs.
public struct StatsCollectorConfiguration: Sendable {
    /// The node's name in the Summary.
    public var nodeName: String
    /// Swiftlet's root directory: pod directories (`<root>/pods/<uid>/volumes/...`), logs
    /// (`<root>/pods/logs/<namespace>_<name>_<uid>/<container>/`) and claim volumes (`<root>/volumes/claims/...`),
    /// the layout the pod lifecycle engine writes.
    public var rootDirectory: String
    /// How often the cache is refreshed (`--housekeeping-interval`, kubelet's default 10 s).
    public var housekeepingInterval: Duration
    /// Only sandboxes and containers carrying these labels are reported: the ones this node's engine owns.
    public var ownerLabels: [String: String]
    /// The cgroup v1 hierarchies.
    public var cgroup: CgroupV1
    /// The container runtime's pid (for the `runtime` system container), nil when unknown.
    public var runtimePID: @Sendable () async -> Int32?

    /// Creates a configuration.
    public init(
        nodeName: String, rootDirectory: String, housekeepingInterval: Duration = .seconds(10),
        ownerLabels: [String: String] = ["swiftlet.io/managed": "true"], cgroup: CgroupV1 = CgroupV1(),
        runtimePID: @escaping @Sendable () async -> Int32? = { nil }
    ) {
        self.nodeName = nodeName
        self.rootDirectory = rootDirectory
        self.housekeepingInterval = housekeepingInterval
        self.ownerLabels = ownerLabels
        self.cgroup = cgroup
        self.runtimePID = runtimePID
    }
}
