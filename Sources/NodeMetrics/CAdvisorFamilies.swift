import NodeStats

/// The cAdvisor container series kubelet serves at `/metrics/cadvisor`, built from the stats cache on each scrape.
///
/// Labels are cAdvisor's: `container`, `id` (the cgroup path), `image`, `name` (the runtime's container id),
/// `namespace`, `pod`. Network counters belong to the pod's network namespace, so, as cAdvisor does with the pause
/// container, they appear once per pod with `container="POD"` rather than on every container (which would count
/// the traffic once per container when summed by pod).
public enum CAdvisorFamilies {
    static let labels = ["container", "id", "image", "name", "namespace", "pod"]

    /// The families for `snapshot`; only the machine families when no snapshot exists yet.
    public static func families(_ snapshot: StatsSnapshot?, machine: MachineInfo) -> [MetricFamily] {
        var families = [
            MetricFamily(name: "machine_cpu_cores", help: "Number of logical CPU cores.", kind: .gauge,
                         series: [.init([], .scalar(Double(machine.numCores)))]),
            MetricFamily(name: "machine_memory_bytes", help: "Amount of memory installed on the machine.", kind: .gauge,
                         series: [.init([], .scalar(Double(machine.memoryCapacity)))]),
        ]
        guard let snapshot else { return families }
        var cpu: [MetricFamily.Series] = []
        var workingSet: [MetricFamily.Series] = []
        var rss: [MetricFamily.Series] = []
        var usage: [MetricFamily.Series] = []
        var cache: [MetricFamily.Series] = []
        var memoryLimit: [MetricFamily.Series] = []
        var quota: [MetricFamily.Series] = []
        var period: [MetricFamily.Series] = []
        var shares: [MetricFamily.Series] = []
        var fsUsage: [MetricFamily.Series] = []
        var startTime: [MetricFamily.Series] = []
        var lastSeen: [MetricFamily.Series] = []
        var oom: [MetricFamily.Series] = []
        var receive: [MetricFamily.Series] = []
        var transmit: [MetricFamily.Series] = []
        var podsWithNetwork: Set<PodReference> = []
        for record in snapshot.containers {
            let values = [record.name, record.cgroup?.cgroupPath ?? "", record.image, record.id, record.pod.namespace, record.pod.name]
            func add(_ list: inout [MetricFamily.Series], _ value: UInt64?) {
                if let value { list.append(.init(values, .scalar(Double(value)))) }
            }
            if let nanos = record.cpuCoreNanoSeconds { cpu.append(.init(values, .scalar(Double(nanos) / 1e9))) }
            add(&workingSet, record.memoryWorkingSetBytes)
            add(&rss, record.memoryRSSBytes)
            add(&usage, record.memoryUsageBytes)
            add(&cache, record.cgroup?.memoryCacheBytes)
            add(&memoryLimit, record.cgroup?.memoryLimitBytes)
            add(&quota, record.cgroup?.cpuQuotaMicros)
            if record.cgroup?.cpuQuotaMicros != nil { add(&period, record.cgroup?.cpuPeriodMicros) }
            add(&shares, record.cgroup?.cpuShares)
            add(&fsUsage, record.rootfsUsedBytes)
            add(&oom, record.cgroup?.oomKills)
            startTime.append(.init(values, .scalar(record.startTimeSeconds)))
            lastSeen.append(.init(values, .scalar(record.timestampSeconds.rounded(.down))))
            if let network = record.network, !podsWithNetwork.contains(record.pod) {
                podsWithNetwork.insert(record.pod)
                for interface in network.interfaces {
                    let podValues = ["POD", "", "", "", record.pod.namespace, record.pod.name, interface.name]
                    if let rx = interface.rxBytes { receive.append(.init(podValues, .scalar(Double(rx)))) }
                    if let tx = interface.txBytes { transmit.append(.init(podValues, .scalar(Double(tx)))) }
                }
            }
        }
        func family(_ name: String, _ help: String, _ kind: MetricFamily.Kind, _ series: [MetricFamily.Series],
                    labels: [String] = Self.labels) -> MetricFamily {
            MetricFamily(name: name, help: help, kind: kind, labelNames: labels, series: series)
        }
        let networkLabels = labels + ["interface"]
        families += [
            family("container_cpu_usage_seconds_total", "Cumulative cpu time consumed in seconds.", .counter, cpu),
            family("container_memory_working_set_bytes", "Current working set in bytes.", .gauge, workingSet),
            family("container_memory_rss", "Size of RSS in bytes.", .gauge, rss),
            family("container_memory_usage_bytes", "Current memory usage in bytes, including all memory regardless of when it was accessed", .gauge, usage),
            family("container_memory_cache", "Number of bytes of page cache memory.", .gauge, cache),
            family("container_spec_memory_limit_bytes", "Memory limit for the container.", .gauge, memoryLimit),
            family("container_spec_cpu_quota", "CPU quota of the container.", .gauge, quota),
            family("container_spec_cpu_period", "CPU period of the container.", .gauge, period),
            family("container_spec_cpu_shares", "CPU share of the container.", .gauge, shares),
            family("container_fs_usage_bytes", "Number of bytes that are consumed by the container on this filesystem.", .gauge, fsUsage),
            family("container_start_time_seconds", "Start time of the container since unix epoch in seconds.", .gauge, startTime),
            family("container_last_seen", "Last time a container was seen by the exporter", .gauge, lastSeen),
            family("container_oom_events_total", "Count of out of memory events observed for the container", .counter, oom),
            family("container_network_receive_bytes_total", "Cumulative count of bytes received", .counter, receive, labels: networkLabels),
            family("container_network_transmit_bytes_total", "Cumulative count of bytes transmitted", .counter, transmit, labels: networkLabels),
        ]
        return families
    }
}
