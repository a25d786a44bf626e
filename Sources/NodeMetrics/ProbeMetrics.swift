import NodeAgent

/// The prober's metrics for `/metrics/probes`: a `ProbeObserver` the pod lifecycle engine calls after every probe.
public final class ProbeMetrics: ProbeObserver {
    /// The registry `/metrics/probes` renders.
    public let registry = MetricsRegistry()
    /// `prober_probe_total{probe_type,result,container,pod,namespace,pod_uid}`.
    public let probes: Counter
    /// `prober_probe_duration_seconds{probe_type,container,pod,namespace}`.
    public let duration: Histogram

    /// Creates the instruments.
    public init() {
        probes = registry.counter("prober_probe_total", help: "Cumulative number of a liveness, readiness or startup probe for a container by result.",
                                  labels: ["probe_type", "result", "container", "pod", "namespace", "pod_uid"])
        duration = registry.histogram("prober_probe_duration_seconds", help: "Duration in seconds for a probe response.",
                                      labels: ["probe_type", "container", "pod", "namespace"],
                                      buckets: (0..<16).map { 0.001 * Double(1 << $0) })
    }

    /// Counts the probe and records its duration.
    public func observe(_ observation: ProbeObservation) {
        probes.increment([observation.probeType, observation.result, observation.container, observation.pod,
                          observation.namespace, observation.podUID])
        duration.observe(observation.duration, [observation.probeType, observation.container, observation.pod, observation.namespace])
    }

    /// Drops the pod's series, as kubelet does when a pod's probe workers stop.
    public func podRemoved(namespace: String, pod: String, podUID: String) {
        probes.removeSeries(matching: ["pod_uid": podUID])
        // The duration family has no uid label; a pod of the same name that replaced this one keeps its series
        // only once it probes again.
        duration.removeSeries(matching: ["pod": pod, "namespace": namespace])
    }
}
