import CRI

/// Builds the Summary's `node` entry from `/proc`, the root cgroups, statvfs and the runtime's image filesystem.
struct HostSampler {
    let cgroup: CgroupV1
    let boot: BootTime
    let machine: MachineInfo

    func nodeSummary(
        nodeName: String, nowNanos: Int64, rootfsPath: String, imageFs: Runtime_V1_ImageFsInfoResponse?,
        runtimePID: Int32?, rates: inout CPURateTracker
    ) -> NodeSummary {
        let time = RFC3339Time.string(nanos: nowNanos)
        var node = NodeSummary(nodeName: nodeName, startTime: RFC3339Time.string(nanos: boot.secondsSinceEpoch * 1_000_000_000))
        if let cpu = cgroup.nodeCPUNanoseconds() {
            node.cpu = CPUStats(time: time, usageNanoCores: rates.rate("node", cumulative: cpu, timestampNanos: nowNanos),
                                usageCoreNanoSeconds: cpu)
        }
        if let (usage, stat) = cgroup.nodeMemory() {
            // kubelet's node working set: root usage minus inactive file pages; available = capacity - working set.
            let workingSet = usage - min(usage, stat["total_inactive_file"] ?? 0)
            var memory = MemoryStats(time: time)
            memory.usageBytes = usage
            memory.workingSetBytes = workingSet
            memory.availableBytes = machine.memoryCapacity > workingSet ? machine.memoryCapacity - workingSet : 0
            memory.rssBytes = stat["total_rss"]
            memory.pageFaults = stat["total_pgfault"]
            memory.majorPageFaults = stat["total_pgmajfault"]
            node.memory = memory
        }
        let interfaces = KernelFiles.hostInterfaces()
        if !interfaces.isEmpty { node.network = NetworkStats(time: time, interfaces: interfaces) }
        node.fs = KernelFiles.filesystem(rootfsPath, time: time)
        if let imageFs {
            node.runtime = runtimeStats(imageFs, time: time)
        }
        node.rlimit = rlimit(time: time)
        var system: [ContainerSummary] = []
        if let kubelet = processContainer("kubelet", pid: "self", time: time, nowNanos: nowNanos, rates: &rates) {
            system.append(kubelet)
        }
        if let runtimePID,
           let runtime = processContainer("runtime", pid: String(runtimePID), time: time, nowNanos: nowNanos, rates: &rates) {
            system.append(runtime)
        }
        node.systemContainers = system
        return node
    }

    /// The image filesystem: capacity from statvfs of the runtime's mountpoint, used bytes from the runtime.
    private func runtimeStats(_ info: Runtime_V1_ImageFsInfoResponse, time: String) -> RuntimeStats? {
        guard let usage = info.imageFilesystems.first else { return nil }
        var fs = KernelFiles.filesystem(usage.fsID.mountpoint, time: time) ?? FsStats(time: time)
        if usage.hasUsedBytes { fs.usedBytes = usage.usedBytes.value }
        if usage.hasInodesUsed { fs.inodesUsed = usage.inodesUsed.value }
        let containerFs = info.containerFilesystems.first.flatMap { container -> FsStats? in
            var stats = KernelFiles.filesystem(container.fsID.mountpoint, time: time) ?? FsStats(time: time)
            if container.hasUsedBytes { stats.usedBytes = container.usedBytes.value }
            if container.hasInodesUsed { stats.inodesUsed = container.inodesUsed.value }
            return stats
        }
        return RuntimeStats(imageFs: fs, containerFs: containerFs ?? fs)
    }

    /// `kernel.pid_max` and the thread count from `/proc/loadavg` (its "running/total" field), as kubelet reads.
    private func rlimit(time: String) -> RlimitStats {
        let maxPID = KernelFiles.signedNumber("/proc/sys/kernel/pid_max")
        let loadavg = KernelFiles.text("/proc/loadavg")?.split(separator: " ")
        let current = loadavg.flatMap { $0.count > 3 ? $0[3].split(separator: "/").last.flatMap { Int64($0) } : nil }
        return RlimitStats(time: time, maxpid: maxPID, curproc: current)
    }

    /// A system container for one process: its CPU time and resident memory.
    private func processContainer(
        _ name: String, pid: String, time: String, nowNanos: Int64, rates: inout CPURateTracker
    ) -> ContainerSummary? {
        guard let sample = ProcessSample.read(pid: pid, boot: boot) else { return nil }
        var container = ContainerSummary(
            name: name, startTime: RFC3339Time.string(nanos: Int64(sample.startTimeSeconds) * 1_000_000_000))
        container.cpu = CPUStats(
            time: time,
            usageNanoCores: rates.rate("process:\(name)", cumulative: sample.cpuNanoseconds, timestampNanos: nowNanos),
            usageCoreNanoSeconds: sample.cpuNanoseconds)
        var memory = MemoryStats(time: time)
        memory.usageBytes = sample.residentBytes
        memory.workingSetBytes = sample.residentBytes
        memory.rssBytes = sample.residentBytes
        memory.pageFaults = sample.pageFaults
        memory.majorPageFaults = sample.majorPageFaults
        container.memory = memory
        return container
    }
}
