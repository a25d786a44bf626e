import NodeStats

/// The metrics-server set kubelet serves at `/metrics/resource`, built from the stats cache on each scrape.
public enum ResourceFamilies {
    /// The families for `snapshot`; only `scrape_error` (1) when no pass has finished yet.
    public static func families(_ snapshot: StatsSnapshot?) -> [MetricFamily] {
        guard let snapshot else {
            return [scrapeError(1)]
        }
        let summary = snapshot.summary
        var families: [MetricFamily] = [scrapeError(snapshot.errors.isEmpty ? 0 : 1)]
        if let cpu = summary.node.cpu?.usageCoreNanoSeconds {
            families.append(MetricFamily(name: "node_cpu_usage_seconds_total", help: "Cumulative cpu time consumed by the node in core-seconds",
                                         kind: .counter, series: [.init([], .scalar(Double(cpu) / 1e9))]))
        }
        if let workingSet = summary.node.memory?.workingSetBytes {
            families.append(MetricFamily(name: "node_memory_working_set_bytes", help: "Current working set of the node in bytes",
                                         kind: .gauge, series: [.init([], .scalar(Double(workingSet)))]))
        }
        var podCPU: [MetricFamily.Series] = []
        var podMemory: [MetricFamily.Series] = []
        var containerCPU: [MetricFamily.Series] = []
        var containerMemory: [MetricFamily.Series] = []
        var containerStart: [MetricFamily.Series] = []
        for pod in summary.pods {
            let podLabels = [pod.podRef.namespace, pod.podRef.name]
            if let cpu = pod.cpu?.usageCoreNanoSeconds { podCPU.append(.init(podLabels, .scalar(Double(cpu) / 1e9))) }
            if let memory = pod.memory?.workingSetBytes { podMemory.append(.init(podLabels, .scalar(Double(memory)))) }
        }
        for record in snapshot.containers {
            let labels = [record.name, record.pod.namespace, record.pod.name]
            if let cpu = record.cpuCoreNanoSeconds { containerCPU.append(.init(labels, .scalar(Double(cpu) / 1e9))) }
            if let memory = record.memoryWorkingSetBytes { containerMemory.append(.init(labels, .scalar(Double(memory)))) }
            containerStart.append(.init(labels, .scalar(record.startTimeSeconds)))
        }
        let podNames = ["namespace", "pod"]
        let containerNames = ["container", "namespace", "pod"]
        families += [
            MetricFamily(name: "pod_cpu_usage_seconds_total", help: "Cumulative cpu time consumed by the pod in core-seconds",
                         kind: .counter, labelNames: podNames, series: podCPU),
            MetricFamily(name: "pod_memory_working_set_bytes", help: "Current working set of the pod in bytes",
                         kind: .gauge, labelNames: podNames, series: podMemory),
            MetricFamily(name: "container_cpu_usage_seconds_total", help: "Cumulative cpu time consumed by the container in core-seconds",
                         kind: .counter, labelNames: containerNames, series: containerCPU),
            MetricFamily(name: "container_memory_working_set_bytes", help: "Current working set of the container in bytes",
                         kind: .gauge, labelNames: containerNames, series: containerMemory),
            MetricFamily(name: "container_start_time_seconds", help: "Start time of the container since unix epoch in seconds",
                         kind: .gauge, labelNames: containerNames, series: containerStart),
        ]
        return families
    }

    private static func scrapeError(_ value: Double) -> MetricFamily {
        MetricFamily(name: "scrape_error", help: "1 if there was an error while getting container metrics, 0 otherwise",
                     kind: .gauge, series: [.init([], .scalar(value))])
    }
}
