import NodeMetrics
import NodeStats

/// What the stats, metrics, spec and configz routes read: the stats cache, the metric registries and facts fixed
/// at startup.
public struct NodeObservability: Sendable {
    /// The housekeeping stats cache behind `/stats/summary`, `/metrics/cadvisor` and `/metrics/resource`.
    public var stats: StatsCollector
    /// Swiftlet's own instruments, `/metrics`.
    public var kubeletMetrics: KubeletMetrics
    /// The prober's instruments, `/metrics/probes`.
    public var probeMetrics: ProbeMetrics
    /// Swiftlet's version, for `/spec`.
    public var version: String
    /// The runtime's name and version (`containerd://1.6.20`), nil while the runtime has not answered.
    public var runtimeVersion: @Sendable () async -> String?
    /// The effective configuration as `/configz` serves it, secrets already redacted, encoded as JSON.
    public var configz: [UInt8]

    /// Creates the services.
    public init(stats: StatsCollector, kubeletMetrics: KubeletMetrics, probeMetrics: ProbeMetrics, version: String,
                runtimeVersion: @escaping @Sendable () async -> String?, configz: [UInt8]) {
        self.stats = stats
        self.kubeletMetrics = kubeletMetrics
        self.probeMetrics = probeMetrics
        self.version = version
        self.runtimeVersion = runtimeVersion
        self.configz = configz
    }
}
