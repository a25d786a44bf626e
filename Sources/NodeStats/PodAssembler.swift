import FoundationEssentials
import CRI
import KubeTypes
import SystemSupport

/// Turns one pass's CRI lists into Summary pods and cAdvisor container records.
///
/// Pod CPU and memory are the sums of the pod's containers plus its pause container, read from the pause
/// container's own cgroup: containerd (no cgroup parent configured) creates no pod-level group, so the sum is what
/// kubelet's pod cgroup would have held.
struct PodAssembler {
    let rootDirectory: String
    let cgroup: CgroupV1
    let nowNanos: Int64
    let podList: [Pod]

    struct Result {
        var pods: [PodSummary]
        var records: [ContainerRecord]
    }

    mutating func assemble(
        sandboxes: [Runtime_V1_PodSandbox], containers: [Runtime_V1_Container],
        containerStats: [Runtime_V1_ContainerStats], sandboxStats: [Runtime_V1_PodSandboxStats],
        rates: inout CPURateTracker
    ) -> Result {
        let time = RFC3339Time.string(nanos: nowNanos)
        let statsByID = Dictionary(containerStats.map { ($0.attributes.id, $0) }, uniquingKeysWith: { a, _ in a })
        let sandboxStatsByID = Dictionary(sandboxStats.map { ($0.attributes.id, $0) }, uniquingKeysWith: { a, _ in a })
        let containersBySandbox = Dictionary(grouping: containers.filter { $0.state == .containerRunning },
                                             by: \.podSandboxID)
        let podsByUID = Dictionary(podList.compactMap { pod in pod.metadata.uid.map { ($0, pod) } },
                                   uniquingKeysWith: { a, _ in a })
        let rootFs = KernelFiles.filesystem(rootDirectory, time: time)
        var pods: [PodSummary] = []
        var records: [ContainerRecord] = []

        // Newest sandbox per pod uid, ready ones only: a pod's older, stopped sandboxes are history.
        let ready = sandboxes.filter { $0.state == .sandboxReady }
            .sorted { ($0.metadata.namespace, $0.metadata.name, $0.createdAt) < ($1.metadata.namespace, $1.metadata.name, $1.createdAt) }
        for sandbox in ready {
            let ref = PodReference(name: sandbox.metadata.name, namespace: sandbox.metadata.namespace, uid: sandbox.metadata.uid)
            var pod = PodSummary(podRef: ref, startTime: RFC3339Time.string(nanos: sandbox.createdAt))
            let sandboxStat = sandboxStatsByID[sandbox.id]
            let pausePath = cgroup.containerPath(id: sandbox.id)
            // containerd 1.6 cannot give sandbox stats without a cgroup parent, so the pod's network figures come
            // from the pause process's own view of its network namespace when the runtime has none.
            let network = sandboxStat.flatMap { Self.network($0, time: time) }
                ?? pausePath.flatMap { cgroup.firstProcess(path: $0) }.flatMap { Self.namespaceNetwork(pid: $0, time: time) }
            pod.network = network
            if let stat = sandboxStat, stat.linux.hasProcess, stat.linux.process.hasProcessCount {
                pod.processStats = ProcessStats(processCount: stat.linux.process.processCount.value)
            }
            let logDirectory = "\(rootDirectory)/pods/logs/\(ref.namespace)_\(ref.name)_\(ref.uid)"

            var podCPU: UInt64? = nil
            var podMemory = (usage: UInt64(0), workingSet: UInt64(0), rss: UInt64(0), known: false)
            var ephemeralUsed: UInt64 = 0
            var ephemeralInodes: UInt64 = 0
            let members = (containersBySandbox[sandbox.id] ?? []).sorted { $0.metadata.name < $1.metadata.name }
            for container in members {
                let stats = statsByID[container.id]
                let details = cgroup.containerPath(id: container.id).map { cgroup.containerDetails(path: $0) }
                var summary = ContainerSummary(name: container.metadata.name,
                                               startTime: RFC3339Time.string(nanos: container.createdAt))
                var record = ContainerRecord(
                    pod: ref, name: container.metadata.name, id: container.id,
                    image: container.image.image.isEmpty ? container.imageRef : container.image.image,
                    startTimeSeconds: Double(container.createdAt) / 1e9, network: network, cgroup: details,
                    timestampSeconds: Double(nowNanos) / 1e9)
                if let stats, stats.hasCpu, stats.cpu.hasUsageCoreNanoSeconds {
                    let cumulative = stats.cpu.usageCoreNanoSeconds.value
                    let stamp = stats.cpu.timestamp > 0 ? stats.cpu.timestamp : nowNanos
                    summary.cpu = CPUStats(
                        time: RFC3339Time.string(nanos: stamp),
                        usageNanoCores: rates.rate(container.id, cumulative: cumulative, timestampNanos: stamp),
                        usageCoreNanoSeconds: cumulative)
                    record.cpuCoreNanoSeconds = cumulative
                    podCPU = (podCPU ?? 0) + cumulative
                }
                if let stats, stats.hasMemory {
                    let memory = Self.memory(stats.memory, limit: details?.memoryLimitBytes, fallbackTime: time)
                    summary.memory = memory
                    record.memoryWorkingSetBytes = memory.workingSetBytes
                    record.memoryUsageBytes = memory.usageBytes
                    record.memoryRSSBytes = memory.rssBytes ?? details?.memoryRSSBytes
                    podMemory.usage += memory.usageBytes ?? 0
                    podMemory.workingSet += memory.workingSetBytes ?? 0
                    podMemory.rss += memory.rssBytes ?? 0
                    podMemory.known = true
                }
                if let stats, stats.hasWritableLayer {
                    var rootfs = rootFs.map { Self.capacityOnly($0) } ?? FsStats(time: time)
                    if let fs = KernelFiles.filesystem(stats.writableLayer.fsID.mountpoint, time: time) {
                        rootfs = Self.capacityOnly(fs)
                    }
                    if stats.writableLayer.hasUsedBytes { rootfs.usedBytes = stats.writableLayer.usedBytes.value }
                    if stats.writableLayer.hasInodesUsed { rootfs.inodesUsed = stats.writableLayer.inodesUsed.value }
                    summary.rootfs = rootfs
                    record.rootfsUsedBytes = rootfs.usedBytes
                    ephemeralUsed += rootfs.usedBytes ?? 0
                    ephemeralInodes += rootfs.inodesUsed ?? 0
                }
                if let usage = Self.directoryUsage(logDirectory + "/" + container.metadata.name) {
                    var logs = rootFs.map { Self.capacityOnly($0) } ?? FsStats(time: time)
                    logs.usedBytes = usage.bytes
                    logs.inodesUsed = usage.inodes
                    summary.logs = logs
                    ephemeralUsed += usage.bytes
                    ephemeralInodes += usage.inodes
                }
                pod.containers.append(summary)
                records.append(record)
            }

            // The pause container's own group completes the pod totals.
            if let pausePath {
                let pause = cgroup.groupUsage(path: pausePath)
                if let cpu = pause.cpuNanoseconds { podCPU = (podCPU ?? 0) + cpu }
                if let usage = pause.usage {
                    podMemory.usage += usage
                    podMemory.workingSet += pause.workingSet ?? 0
                    podMemory.rss += pause.rss ?? 0
                    podMemory.known = true
                }
            }
            if let podCPU {
                pod.cpu = CPUStats(time: time, usageNanoCores: rates.rate("pod:" + sandbox.id, cumulative: podCPU, timestampNanos: nowNanos),
                                   usageCoreNanoSeconds: podCPU)
            }
            if podMemory.known {
                var memory = MemoryStats(time: time)
                memory.usageBytes = podMemory.usage
                memory.workingSetBytes = podMemory.workingSet
                memory.rssBytes = podMemory.rss
                pod.memory = memory
            }
            let volumes = volumeStats(ref: ref, pod: podsByUID[ref.uid], time: time)
            pod.volume = volumes
            for volume in volumes where volume.pvcRef == nil {
                ephemeralUsed += volume.fs.usedBytes ?? 0
                ephemeralInodes += volume.fs.inodesUsed ?? 0
            }
            var ephemeral = rootFs.map { Self.capacityOnly($0) } ?? FsStats(time: time)
            ephemeral.usedBytes = ephemeralUsed
            ephemeral.inodesUsed = ephemeralInodes
            pod.ephemeralStorage = ephemeral
            pods.append(pod)
        }
        return Result(pods: pods, records: records)
    }

    /// emptyDir volumes found in the pod's directory, and claim volumes named in the pod's spec.
    private func volumeStats(ref: PodReference, pod: Pod?, time: String) -> [VolumeStats] {
        var result: [VolumeStats] = []
        let emptyDirRoot = "\(rootDirectory)/pods/\(ref.uid)/volumes/kubernetes.io~empty-dir"
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: emptyDirRoot)) ?? []).sorted()
        for name in names {
            let path = emptyDirRoot + "/" + name
            guard let usage = Self.directoryUsage(path) else { continue }
            // A memory-backed emptyDir is its own tmpfs: its statvfs gives the size limit, not the node disk.
            var fs = KernelFiles.filesystem(path, time: time).map { Self.capacityOnly($0) } ?? FsStats(time: time)
            fs.usedBytes = usage.bytes
            fs.inodesUsed = usage.inodes
            result.append(VolumeStats(name: name, pvcRef: nil, fs: fs))
        }
        for volume in pod?.spec.volumes ?? [] {
            guard let claim = volume.persistentVolumeClaim?.claimName else { continue }
            let path = "\(rootDirectory)/volumes/claims/\(ref.namespace)/\(claim)"
            guard let usage = Self.directoryUsage(path) else { continue }
            var fs = KernelFiles.filesystem(path, time: time).map { Self.capacityOnly($0) } ?? FsStats(time: time)
            fs.usedBytes = usage.bytes
            fs.inodesUsed = usage.inodes
            result.append(VolumeStats(name: volume.name, pvcRef: PVCReference(name: claim, namespace: ref.namespace), fs: fs))
        }
        return result
    }

    /// A filesystem's capacity figures, with the whole-filesystem usage removed (the caller sets the object's own).
    private static func capacityOnly(_ fs: FsStats) -> FsStats {
        var copy = fs
        copy.usedBytes = nil
        copy.inodesUsed = nil
        return copy
    }

    private static func memory(_ usage: Runtime_V1_MemoryUsage, limit: UInt64?, fallbackTime: String) -> MemoryStats {
        var memory = MemoryStats(time: usage.timestamp > 0 ? RFC3339Time.string(nanos: usage.timestamp) : fallbackTime)
        if usage.hasUsageBytes { memory.usageBytes = usage.usageBytes.value }
        if usage.hasWorkingSetBytes { memory.workingSetBytes = usage.workingSetBytes.value }
        if usage.hasRssBytes { memory.rssBytes = usage.rssBytes.value }
        if usage.hasPageFaults { memory.pageFaults = usage.pageFaults.value }
        if usage.hasMajorPageFaults { memory.majorPageFaults = usage.majorPageFaults.value }
        if usage.hasAvailableBytes, usage.availableBytes.value > 0 {
            memory.availableBytes = usage.availableBytes.value
        } else if let limit, limit > 0, let workingSet = memory.workingSetBytes {
            memory.availableBytes = limit > workingSet ? limit - workingSet : 0
        }
        return memory
    }

    /// `/proc/<pid>/net/dev` of a process inside the pod's network namespace, loopback left out.
    private static func namespaceNetwork(pid: Int32, time: String) -> NetworkStats? {
        guard let bytes = KernelFiles.bytes("/proc/\(pid)/net/dev") else { return nil }
        let interfaces = KernelFiles.parseNetDev(bytes).filter { $0.name != "lo" }
        return interfaces.isEmpty ? nil : NetworkStats(time: time, interfaces: interfaces)
    }

    private static func network(_ stats: Runtime_V1_PodSandboxStats, time: String) -> NetworkStats? {
        guard stats.hasLinux, stats.linux.hasNetwork else { return nil }
        let usage = stats.linux.network
        func convert(_ interface: Runtime_V1_NetworkInterfaceUsage) -> InterfaceStats {
            InterfaceStats(
                name: interface.name,
                rxBytes: interface.hasRxBytes ? interface.rxBytes.value : nil,
                rxErrors: interface.hasRxErrors ? interface.rxErrors.value : nil,
                txBytes: interface.hasTxBytes ? interface.txBytes.value : nil,
                txErrors: interface.hasTxErrors ? interface.txErrors.value : nil)
        }
        var interfaces: [InterfaceStats] = []
        if usage.hasDefaultInterface { interfaces.append(convert(usage.defaultInterface)) }
        for interface in usage.interfaces where interface.name != usage.defaultInterface.name {
            interfaces.append(convert(interface))
        }
        guard !interfaces.isEmpty else { return nil }
        let stamp = usage.timestamp > 0 ? RFC3339Time.string(nanos: usage.timestamp) : time
        return NetworkStats(time: stamp, interfaces: interfaces)
    }

    /// Bytes and inodes under `path` on its own filesystem, as the Summary API reports a volume or log directory;
    /// at most 100,000 entries, so a volume of millions of files cannot stall housekeeping (a lower bound then).
    static func directoryUsage(_ path: String) -> DiskUsage.Figures? {
        DiskUsage.measure(path, sameFilesystem: true, limit: 100_000)
    }
}
