/// Where the cgroup v1 hierarchies are mounted, and the figures Swiftlet reads from them.
///
/// The machines Swiftlet targets run cgroup v1 without systemd (cgroupfs driver); containerd puts a container
/// whose sandbox names no cgroup parent at `/<namespace>/<id>`, `/k8s.io/<id>` for CRI.
public struct CgroupV1: Sendable {
    /// The mount root, `/sys/fs/cgroup`.
    public var root: String
    /// The cgroup parents tried for a container id, in order.
    public var containerParents: [String]

    /// Creates a reader for the hierarchies under `root`.
    public init(root: String = "/sys/fs/cgroup", containerParents: [String] = ["k8s.io"]) {
        self.root = root
        self.containerParents = containerParents
    }

    /// Cgroup v1 reports "no limit" as a huge page-aligned number; anything at or above this is unlimited.
    static let unlimitedMemory: UInt64 = 1 << 62

    /// The cumulative CPU time of the whole node (the root cpuacct group), in nanoseconds.
    func nodeCPUNanoseconds() -> UInt64? {
        KernelFiles.number(root + "/cpuacct/cpuacct.usage") ?? KernelFiles.number(root + "/cpu,cpuacct/cpuacct.usage")
    }

    /// The root memory group's usage and `memory.stat`.
    func nodeMemory() -> (usage: UInt64, stat: [String: UInt64])? {
        guard let usage = KernelFiles.number(root + "/memory/memory.usage_in_bytes") else { return nil }
        return (usage, KernelFiles.keyValues(root + "/memory/memory.stat"))
    }

    /// The cgroup path of a container, relative to a hierarchy (`/k8s.io/<id>`), when its memory group exists.
    public func containerPath(id: String) -> String? {
        for parent in containerParents {
            let relative = parent.isEmpty ? "/\(id)" : "/\(parent)/\(id)"
            if KernelFiles.number(root + "/memory" + relative + "/memory.usage_in_bytes") != nil { return relative }
        }
        return nil
    }

    /// The limits and memory breakdown of the container group at `path` (from `containerPath`).
    func containerDetails(path: String) -> ContainerCgroupDetails {
        let memory = root + "/memory" + path
        let cpu = root + "/cpu" + path
        let stat = KernelFiles.keyValues(memory + "/memory.stat")
        let limit = KernelFiles.number(memory + "/memory.limit_in_bytes")
        let oom = KernelFiles.keyValues(memory + "/memory.oom_control")["oom_kill"]
        let quota = KernelFiles.signedNumber(cpu + "/cpu.cfs_quota_us")
        return ContainerCgroupDetails(
            cgroupPath: path,
            memoryLimitBytes: limit.map { $0 >= Self.unlimitedMemory ? 0 : $0 },
            memoryCacheBytes: stat["total_cache"] ?? stat["cache"],
            memoryRSSBytes: stat["total_rss"] ?? stat["rss"],
            oomKills: oom,
            cpuQuotaMicros: quota.flatMap { $0 > 0 ? UInt64($0) : nil },
            cpuPeriodMicros: KernelFiles.number(cpu + "/cpu.cfs_period_us"),
            cpuShares: KernelFiles.number(cpu + "/cpu.shares")
        )
    }
}

/// What the cgroup files of one container say beyond the CRI stats: the figures cAdvisor exports as
/// `container_spec_*`, `container_memory_cache` and `container_oom_events_total`.
public struct ContainerCgroupDetails: Sendable, Equatable {
    /// The group's path relative to a hierarchy root: cAdvisor's `id` label.
    public var cgroupPath: String
    /// `memory.limit_in_bytes`, 0 when unlimited (cAdvisor's convention).
    public var memoryLimitBytes: UInt64?
    /// Page cache charged to the group.
    public var memoryCacheBytes: UInt64?
    /// Anonymous memory charged to the group.
    public var memoryRSSBytes: UInt64?
    /// OOM kills in the group (`memory.oom_control`'s `oom_kill`, kernels 4.13+).
    public var oomKills: UInt64?
    /// `cpu.cfs_quota_us`, nil when unlimited.
    public var cpuQuotaMicros: UInt64?
    /// `cpu.cfs_period_us`.
    public var cpuPeriodMicros: UInt64?
    /// `cpu.shares`.
    public var cpuShares: UInt64?
}

extension CgroupV1 {
    /// A process in the group at `path` (the first of `cgroup.procs`), nil when the group is empty or gone.
    func firstProcess(path: String) -> Int32? {
        KernelFiles.text(root + "/memory" + path + "/cgroup.procs")?
            .split(separator: "\n").lazy.compactMap { Int32($0) }.first
    }

    /// CPU time and memory of the group at `path` (a sandbox's pause container, for the pod totals).
    func groupUsage(path: String) -> (cpuNanoseconds: UInt64?, usage: UInt64?, workingSet: UInt64?, rss: UInt64?) {
        let cpu = KernelFiles.number(root + "/cpuacct" + path + "/cpuacct.usage")
            ?? KernelFiles.number(root + "/cpu,cpuacct" + path + "/cpuacct.usage")
        let usage = KernelFiles.number(root + "/memory" + path + "/memory.usage_in_bytes")
        let stat = KernelFiles.keyValues(root + "/memory" + path + "/memory.stat")
        let workingSet = usage.map { $0 - min($0, stat["total_inactive_file"] ?? 0) }
        return (cpu, usage, workingSet, stat["total_rss"])
    }
}
