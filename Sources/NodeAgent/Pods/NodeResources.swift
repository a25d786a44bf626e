import FoundationEssentials
import KubeTypes

/// What this node can give to pods: capacity minus what is reserved for the system.
public struct NodeResources: Sendable, Equatable {
    /// Allocatable CPU in millicores.
    public var cpuMillis: Int64
    /// Allocatable memory in bytes.
    public var memoryBytes: Int64
    /// The most pods the node admits (kubelet's `--max-pods`).
    public var maxPods: Int

    /// Creates node resources from explicit numbers.
    public init(cpuMillis: Int64, memoryBytes: Int64, maxPods: Int) {
        self.cpuMillis = cpuMillis
        self.memoryBytes = memoryBytes
        self.maxPods = maxPods
    }

    /// This machine's processors and physical memory, less `systemReserved` (as kubelet's `--system-reserved`).
    public static func detect(maxPods: Int, systemReservedCPUMillis: Int64 = 0, systemReservedMemoryBytes: Int64 = 0) -> NodeResources {
        let info = ProcessInfo.processInfo
        return NodeResources(
            cpuMillis: max(0, Int64(info.activeProcessorCount) * 1000 - systemReservedCPUMillis),
            memoryBytes: max(0, Int64(clamping: info.physicalMemory) - systemReservedMemoryBytes),
            maxPods: maxPods
        )
    }
}
