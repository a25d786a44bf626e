/// kubelet's Summary API (`stats/v1alpha1`) as Swiftlet serves it at `/stats/summary`.
///
/// Field names and nesting follow kubelet's JSON so that metrics-server, `kubectl top`-style tools and dashboards
/// read a Swiftlet node unchanged. Optional fields are omitted when unknown, as kubelet omits nil pointers.
public struct Summary: Codable, Sendable, Equatable {
    /// The node's own usage and its system containers.
    public var node: NodeSummary
    /// One entry per pod sandbox that Swiftlet owns.
    public var pods: [PodSummary]

    /// Creates a summary.
    public init(node: NodeSummary, pods: [PodSummary]) {
        self.node = node
        self.pods = pods
    }

    /// The reduced summary kubelet serves for `?only_cpu_and_memory=true`: names, times, cpu and memory only.
    public func onlyCPUAndMemory() -> Summary {
        var node = NodeSummary(nodeName: self.node.nodeName, startTime: self.node.startTime)
        node.cpu = self.node.cpu
        node.memory = self.node.memory
        node.systemContainers = self.node.systemContainers?.map { $0.onlyCPUAndMemory() }
        let pods = self.pods.map { pod in
            var reduced = PodSummary(podRef: pod.podRef, startTime: pod.startTime)
            reduced.cpu = pod.cpu
            reduced.memory = pod.memory
            reduced.containers = pod.containers.map { $0.onlyCPUAndMemory() }
            return reduced
        }
        return Summary(node: node, pods: pods)
    }
}

/// `NodeStats`: the node's usage.
public struct NodeSummary: Codable, Sendable, Equatable {
    /// The node's name.
    public var nodeName: String
    /// Swiftlet itself (`kubelet`) and the container runtime (`runtime`).
    public var systemContainers: [ContainerSummary]?
    /// When the node booted (RFC 3339).
    public var startTime: String
    /// Whole-node CPU.
    public var cpu: CPUStats?
    /// Whole-node memory (root memory cgroup).
    public var memory: MemoryStats?
    /// The node's network interfaces.
    public var network: NetworkStats?
    /// The filesystem that holds Swiftlet's root directory (pods, logs, emptyDirs).
    public var fs: FsStats?
    /// The runtime's image filesystem.
    public var runtime: RuntimeStats?
    /// Process-id limits.
    public var rlimit: RlimitStats?

    /// A node entry with only its name and start time.
    public init(nodeName: String, startTime: String) {
        self.nodeName = nodeName
        self.startTime = startTime
    }
}

/// `PodStats`: one pod's usage.
public struct PodSummary: Codable, Sendable, Equatable {
    /// Which pod.
    public var podRef: PodReference
    /// When the sandbox was created (RFC 3339).
    public var startTime: String
    /// The pod's containers, running or not, as the runtime reports them.
    public var containers: [ContainerSummary] = []
    /// Pod-level CPU (the sandbox's cgroups).
    public var cpu: CPUStats?
    /// Pod-level memory.
    public var memory: MemoryStats?
    /// The pod's network namespace.
    public var network: NetworkStats?
    /// emptyDir and claim volumes.
    public var volume: [VolumeStats]?
    /// Local ephemeral storage: container writable layers, logs and emptyDirs.
    public var ephemeralStorage: FsStats?
    /// Processes in the pod.
    public var processStats: ProcessStats?

    enum CodingKeys: String, CodingKey {
        case podRef, startTime, containers, cpu, memory, network, volume
        case ephemeralStorage = "ephemeral-storage"
        case processStats = "process_stats"
    }

    /// A pod entry with only its reference and start time.
    public init(podRef: PodReference, startTime: String) {
        self.podRef = podRef
        self.startTime = startTime
    }
}

/// `PodReference`.
public struct PodReference: Codable, Sendable, Equatable, Hashable {
    /// The pod's name.
    public var name: String
    /// The pod's namespace.
    public var namespace: String
    /// The pod's uid.
    public var uid: String

    /// Creates a reference.
    public init(name: String, namespace: String, uid: String) {
        self.name = name
        self.namespace = namespace
        self.uid = uid
    }
}

/// `ContainerStats`: one container (or a system container).
public struct ContainerSummary: Codable, Sendable, Equatable {
    /// The container's name in the pod spec (or `kubelet` / `runtime`).
    public var name: String
    /// When the container was created (RFC 3339).
    public var startTime: String
    /// CPU usage.
    public var cpu: CPUStats?
    /// Memory usage.
    public var memory: MemoryStats?
    /// The writable layer.
    public var rootfs: FsStats?
    /// The container's log files.
    public var logs: FsStats?

    /// A container entry with only its name and start time.
    public init(name: String, startTime: String) {
        self.name = name
        self.startTime = startTime
    }

    func onlyCPUAndMemory() -> ContainerSummary {
        var reduced = ContainerSummary(name: name, startTime: startTime)
        reduced.cpu = cpu
        reduced.memory = memory
        return reduced
    }
}

/// `CPUStats`.
public struct CPUStats: Codable, Sendable, Equatable {
    /// When the sample was taken (RFC 3339).
    public var time: String
    /// Average usage since the previous sample, in billionths of a core; absent until two samples exist.
    public var usageNanoCores: UInt64?
    /// Cumulative usage since creation, in core-nanoseconds.
    public var usageCoreNanoSeconds: UInt64?

    /// Creates CPU stats.
    public init(time: String, usageNanoCores: UInt64?, usageCoreNanoSeconds: UInt64?) {
        self.time = time
        self.usageNanoCores = usageNanoCores
        self.usageCoreNanoSeconds = usageCoreNanoSeconds
    }
}

/// `MemoryStats`.
public struct MemoryStats: Codable, Sendable, Equatable {
    /// When the sample was taken (RFC 3339).
    public var time: String
    /// Limit (or node capacity) minus the working set; absent when there is no limit.
    public var availableBytes: UInt64?
    /// Total usage, page cache included.
    public var usageBytes: UInt64?
    /// Usage minus inactive file cache: what the OOM killer and evictions look at.
    public var workingSetBytes: UInt64?
    /// Anonymous and swap-cache memory.
    public var rssBytes: UInt64?
    /// Cumulative page faults.
    public var pageFaults: UInt64?
    /// Cumulative major page faults.
    public var majorPageFaults: UInt64?

    /// Memory stats with only a time; set the fields that are known.
    public init(time: String) {
        self.time = time
    }
}

/// `InterfaceStats`.
public struct InterfaceStats: Codable, Sendable, Equatable {
    /// Interface name.
    public var name: String
    /// Bytes received.
    public var rxBytes: UInt64?
    /// Receive errors.
    public var rxErrors: UInt64?
    /// Bytes sent.
    public var txBytes: UInt64?
    /// Send errors.
    public var txErrors: UInt64?

    /// Creates interface stats.
    public init(name: String, rxBytes: UInt64?, rxErrors: UInt64?, txBytes: UInt64?, txErrors: UInt64?) {
        self.name = name
        self.rxBytes = rxBytes
        self.rxErrors = rxErrors
        self.txBytes = txBytes
        self.txErrors = txErrors
    }
}

/// `NetworkStats`: the default interface's figures inline, plus every interface.
public struct NetworkStats: Codable, Sendable, Equatable {
    /// When the sample was taken (RFC 3339).
    public var time: String
    /// The default interface's name.
    public var name: String
    /// The default interface's received bytes.
    public var rxBytes: UInt64?
    /// The default interface's receive errors.
    public var rxErrors: UInt64?
    /// The default interface's sent bytes.
    public var txBytes: UInt64?
    /// The default interface's send errors.
    public var txErrors: UInt64?
    /// Every interface.
    public var interfaces: [InterfaceStats]

    /// Network stats whose inline figures are those of `interfaces[0]` (the default interface).
    public init(time: String, interfaces: [InterfaceStats]) {
        self.time = time
        self.interfaces = interfaces
        let first = interfaces.first
        self.name = first?.name ?? ""
        self.rxBytes = first?.rxBytes
        self.rxErrors = first?.rxErrors
        self.txBytes = first?.txBytes
        self.txErrors = first?.txErrors
    }
}

/// `FsStats`.
public struct FsStats: Codable, Sendable, Equatable {
    /// When the sample was taken (RFC 3339).
    public var time: String
    /// Bytes available to non-root users.
    public var availableBytes: UInt64?
    /// Filesystem size.
    public var capacityBytes: UInt64?
    /// Bytes used by this object (a container, a volume) or on the whole filesystem.
    public var usedBytes: UInt64?
    /// Free inodes.
    public var inodesFree: UInt64?
    /// Total inodes.
    public var inodes: UInt64?
    /// Inodes used by this object.
    public var inodesUsed: UInt64?

    /// Filesystem stats with only a time; set the fields that are known.
    public init(time: String) {
        self.time = time
    }
}

/// `VolumeStats`: a volume's usage, with the filesystem figures inline.
public struct VolumeStats: Codable, Sendable, Equatable {
    /// The volume's name in the pod spec.
    public var name: String
    /// The claim behind a claim volume.
    public var pvcRef: PVCReference?
    /// The usage.
    public var fs: FsStats

    /// Creates volume stats.
    public init(name: String, pvcRef: PVCReference?, fs: FsStats) {
        self.name = name
        self.pvcRef = pvcRef
        self.fs = fs
    }

    enum CodingKeys: String, CodingKey {
        case name, pvcRef
    }

    /// Decodes the inline layout.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        pvcRef = try container.decodeIfPresent(PVCReference.self, forKey: .pvcRef)
        fs = try FsStats(from: decoder)
    }

    /// Encodes the filesystem figures inline next to `name`, as kubelet's embedded struct does.
    public func encode(to encoder: any Encoder) throws {
        try fs.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encodeIfPresent(pvcRef, forKey: .pvcRef)
    }
}

/// `PVCReference`.
public struct PVCReference: Codable, Sendable, Equatable {
    /// The claim's name.
    public var name: String
    /// The claim's namespace.
    public var namespace: String

    /// Creates a reference.
    public init(name: String, namespace: String) {
        self.name = name
        self.namespace = namespace
    }
}

/// `RuntimeStats`.
public struct RuntimeStats: Codable, Sendable, Equatable {
    /// The filesystem that holds images.
    public var imageFs: FsStats?
    /// The filesystem that holds container writable layers (the same as imageFs with containerd's defaults).
    public var containerFs: FsStats?

    /// Creates runtime stats.
    public init(imageFs: FsStats?, containerFs: FsStats?) {
        self.imageFs = imageFs
        self.containerFs = containerFs
    }
}

/// `RlimitStats`: process ids.
public struct RlimitStats: Codable, Sendable, Equatable {
    /// When the sample was taken (RFC 3339).
    public var time: String
    /// `kernel.pid_max`.
    public var maxpid: Int64?
    /// Processes (threads included, as kubelet counts) on the node.
    public var curproc: Int64?

    /// Creates rlimit stats.
    public init(time: String, maxpid: Int64?, curproc: Int64?) {
        self.time = time
        self.maxpid = maxpid
        self.curproc = curproc
    }
}

/// `ProcessStats`.
public struct ProcessStats: Codable, Sendable, Equatable {
    /// Processes in the pod.
    public var processCount: UInt64?

    enum CodingKeys: String, CodingKey {
        case processCount = "process_count"
    }

    /// Creates process stats.
    public init(processCount: UInt64?) {
        self.processCount = processCount
    }
}
