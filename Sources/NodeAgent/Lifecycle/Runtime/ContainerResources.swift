import FoundationEssentials
import CRI
import KubeTypes

/// kubelet's mapping of a container's requests and limits to cgroup settings, and the pod's QoS class.
enum ContainerResources {
    static let minShares: Int64 = 2
    static let maxShares: Int64 = 262_144
    static let sharesPerCPU: Int64 = 1024
    static let quotaPeriod: Int64 = 100_000
    static let minQuota: Int64 = 1000

    /// cpu shares, CFS quota and period, memory limit and oom_score_adj for `container`.
    static func linuxResources(
        _ container: Container, qos: PodQOSClass, memoryCapacity: Int64
    ) -> Runtime_V1_LinuxContainerResources {
        var resources = Runtime_V1_LinuxContainerResources()
        let cpuRequest = container.resources?.requests?["cpu"]
        let cpuLimit = container.resources?.limits?["cpu"]
        if (cpuRequest == nil || cpuRequest?.isZero == true), let cpuLimit, !cpuLimit.isZero {
            resources.cpuShares = shares(milliCPU: cpuLimit.milliValue)
        } else {
            resources.cpuShares = shares(milliCPU: cpuRequest?.milliValue ?? 0)
        }
        if let cpuLimit, !cpuLimit.isZero {
            resources.cpuPeriod = quotaPeriod
            resources.cpuQuota = max(minQuota, cpuLimit.milliValue * quotaPeriod / 1000)
        }
        if let memoryLimit = container.resources?.limits?["memory"], !memoryLimit.isZero {
            resources.memoryLimitInBytes = memoryLimit.value
        }
        resources.oomScoreAdj = oomScoreAdj(container, qos: qos, memoryCapacity: memoryCapacity)
        return resources
    }

    /// Shares for a cpu request in millicores: 1024 per core, at least 2.
    static func shares(milliCPU: Int64) -> Int64 {
        if milliCPU == 0 { return minShares }
        return min(maxShares, max(minShares, milliCPU * sharesPerCPU / 1000))
    }

    /// kubelet's `GetContainerOOMScoreAdjust`: Guaranteed -997, BestEffort 1000, Burstable in between by memory
    /// request. (containerd clamps negative values to 0 on machines without CAP_SYS_RESOURCE.)
    static func oomScoreAdj(_ container: Container, qos: PodQOSClass, memoryCapacity: Int64) -> Int64 {
        switch qos {
        case .guaranteed: return -997
        case .bestEffort: return 1000
        default:
            let request = container.resources?.requests?["memory"]?.value ?? 0
            guard memoryCapacity > 0 else { return 999 }
            var adj = 1000 - (1000 * request) / memoryCapacity
            if adj < 3 { adj = 3 }
            if adj > 999 { adj = 999 }
            return adj
        }
    }

    /// The pod's QoS class, by the rules of `v1/qos.GetPodQOS`.
    static func qosClass(_ spec: PodSpec) -> PodQOSClass {
        var requests: [String: Quantity] = [:]
        var limits: [String: Quantity] = [:]
        var zeroQuantity = true
        var isGuaranteed = true
        let supported: Set<String> = ["cpu", "memory"]
        for container in (spec.initContainers ?? []) + spec.containers {
            var containerLimits: Set<String> = []
            for (name, quantity) in container.resources?.requests ?? [:] where supported.contains(name) {
                if !quantity.isZero {
                    zeroQuantity = false
                    requests[name] = (requests[name] ?? .zero) + quantity
                }
            }
            for (name, quantity) in container.resources?.limits ?? [:] where supported.contains(name) {
                if !quantity.isZero {
                    zeroQuantity = false
                    containerLimits.insert(name)
                    limits[name] = (limits[name] ?? .zero) + quantity
                }
            }
            if containerLimits != supported { isGuaranteed = false }
        }
        if zeroQuantity && requests.isEmpty && limits.isEmpty { return .bestEffort }
        if isGuaranteed {
            for (name, request) in requests where limits[name] != request {
                isGuaranteed = false
            }
        }
        return isGuaranteed && limits.count == supported.count ? .guaranteed : .burstable
    }

    /// The node's memory in bytes (for oom_score_adj and `resourceFieldRef` defaults).
    static func nodeMemoryBytes() -> Int64 {
        Int64(clamping: ProcessInfo.processInfo.physicalMemory)
    }

    /// The node's cpu count (for `resourceFieldRef` defaults).
    static func nodeCPUs() -> Int64 {
        Int64(ProcessInfo.processInfo.activeProcessorCount)
    }
}
