import NodeAgent
import NodeStats

/// The instruments behind `/metrics`: kubelet's names, labels and buckets, plus Swiftlet's build info.
///
/// One value is made at startup and handed to the runtime decorator, the HTTP middleware and the pod-start
/// tracker; its registry is what the route renders.
public final class KubeletMetrics: Sendable {
    /// The registry `/metrics` renders.
    public let registry = MetricsRegistry()

    /// kubelet's pod start buckets (seconds), shared by both pod start histograms.
    public static let podStartBuckets: [Double] = [
        0.5, 1, 2, 3, 4, 5, 6, 8, 10, 20, 30, 45, 60, 120, 180, 240, 300, 360, 480, 600, 900, 1200, 1800, 2700, 3600,
    ]
    /// kubelet's runtime operation buckets: exponential from 5 ms, factor 2.5, 14 buckets.
    public static let runtimeBuckets: [Double] = (0..<14).map { 0.005 * pow25($0) }
    /// The client library's default buckets, which kubelet's HTTP histogram uses.
    public static let defaultBuckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    /// `kubelet_runtime_operations_total{operation_type}`.
    public let runtimeOperations: Counter
    /// `kubelet_runtime_operations_errors_total{operation_type}`.
    public let runtimeOperationErrors: Counter
    /// `kubelet_runtime_operations_duration_seconds{operation_type}`.
    public let runtimeOperationDuration: Histogram
    /// `kubelet_http_requests_total{method,path,server_type,long_running}`.
    public let httpRequests: Counter
    /// `kubelet_http_requests_duration_seconds{method,path,server_type,long_running}`.
    public let httpRequestDuration: Histogram
    /// `kubelet_http_inflight_requests{method,path,server_type,long_running}`.
    public let httpInflight: Gauge
    /// `kubelet_pod_worker_duration_seconds{operation_type}`: one pod worker sync.
    public let podWorkerDuration: Histogram
    /// `kubelet_pod_start_duration_seconds`.
    public let podStartDuration: Histogram
    /// `kubelet_pod_start_sli_duration_seconds` (image pulls excluded).
    public let podStartSLIDuration: Histogram
    /// `kubelet_started_pods_total`.
    public let startedPods: Counter
    /// `kubelet_started_pods_errors_total`.
    public let startedPodErrors: Counter
    /// `kubelet_started_containers_total{container_type}`.
    public let startedContainers: Counter
    /// `kubelet_started_containers_errors_total{container_type,code}`.
    public let startedContainerErrors: Counter
    /// `kubelet_restarted_pods_total{static}`: a pod whose sandbox was created again (attempt > 0).
    public let restartedPods: Counter
    /// `kubelet_evictions{eviction_signal}`: Swiftlet has no eviction manager yet, so the family has no series.
    public let evictions: Counter

    /// Creates the instruments; `version` goes into `swiftlet_build_info`, and `stats` (when given) feeds
    /// `kubelet_running_pods` and `kubelet_running_containers`.
    public init(version: String, swiftVersion: String = KubeletMetrics.compilerVersion, stats: StatsCollector? = nil) {
        let r = registry
        runtimeOperations = r.counter("kubelet_runtime_operations_total",
            help: "Cumulative number of runtime operations by operation type.", labels: ["operation_type"])
        runtimeOperationErrors = r.counter("kubelet_runtime_operations_errors_total",
            help: "Cumulative number of runtime operation errors by operation type.", labels: ["operation_type"])
        runtimeOperationDuration = r.histogram("kubelet_runtime_operations_duration_seconds",
            help: "Duration in seconds of runtime operations. Broken down by operation type.",
            labels: ["operation_type"], buckets: Self.runtimeBuckets)
        let httpLabels = ["method", "path", "server_type", "long_running"]
        httpRequests = r.counter("kubelet_http_requests_total",
            help: "Number of the http requests received since the server started", labels: httpLabels)
        httpRequestDuration = r.histogram("kubelet_http_requests_duration_seconds",
            help: "Duration in seconds to serve http requests", labels: httpLabels, buckets: Self.defaultBuckets)
        httpInflight = r.gauge("kubelet_http_inflight_requests",
            help: "Number of the inflight http requests", labels: httpLabels)
        podWorkerDuration = r.histogram("kubelet_pod_worker_duration_seconds",
            help: "Duration in seconds to sync a single pod. Broken down by operation type: create, update, or sync",
            labels: ["operation_type"], buckets: Self.defaultBuckets)
        podStartDuration = r.histogram("kubelet_pod_start_duration_seconds",
            help: "Duration in seconds from kubelet seeing a pod for the first time to the pod starting to run",
            buckets: Self.podStartBuckets)
        podStartSLIDuration = r.histogram("kubelet_pod_start_sli_duration_seconds",
            help: "Duration in seconds to start a pod, excluding time to pull images and run init containers, measured from pod creation timestamp to when all its containers are reported as started and observed via watch",
            buckets: Self.podStartBuckets)
        startedPods = r.counter("kubelet_started_pods_total", help: "Cumulative number of pods started")
        startedPodErrors = r.counter("kubelet_started_pods_errors_total", help: "Cumulative number of errors when starting pods")
        startedContainers = r.counter("kubelet_started_containers_total",
            help: "Cumulative number of containers started", labels: ["container_type"])
        startedContainerErrors = r.counter("kubelet_started_containers_errors_total",
            help: "Cumulative number of errors when starting containers", labels: ["container_type", "code"])
        restartedPods = r.counter("kubelet_restarted_pods_total",
            help: "Number of pods that have been restarted because their sandbox was created again", labels: ["static"])
        evictions = r.counter("kubelet_evictions",
            help: "Cumulative number of pod evictions by eviction signal", labels: ["eviction_signal"])
        let buildInfo = r.gauge("swiftlet_build_info",
            help: "A metric with a constant '1' value labeled by the Swiftlet version and the Swift compiler that built it.",
            labels: ["version", "swift_version"])
        buildInfo.set([version, swiftVersion], 1)
        r.addCollector { ProcessMetrics.families() }
        if let stats {
            r.addCollector { Self.runningFamilies(stats.snapshot) }
        }
    }

    /// The Swift compiler this binary was built with.
    public static var compilerVersion: String {
        #if compiler(>=6.3)
            return "6.3"
        #elseif compiler(>=6.2)
            return "6.2"
        #else
            return "6.x"
        #endif
    }

    private static func pow25(_ exponent: Int) -> Double {
        (0..<exponent).reduce(1.0) { value, _ in value * 2.5 }
    }

    /// `kubelet_running_pods` and `kubelet_running_containers` from the last housekeeping pass.
    static func runningFamilies(_ snapshot: StatsSnapshot?) -> [MetricFamily] {
        guard let snapshot else { return [] }
        let states = snapshot.containerStates
        return [
            MetricFamily(name: "kubelet_running_pods", help: "Number of pods that have a running pod sandbox",
                         kind: .gauge, series: [.init([], .scalar(Double(snapshot.runningPods)))]),
            MetricFamily(name: "kubelet_running_containers", help: "Number of containers currently running",
                         kind: .gauge, labelNames: ["container_state"],
                         series: states.map { .init([$0.key], .scalar(Double($0.value))) }),
        ]
    }
}

extension KubeletMetrics: PodSyncObserver {
    /// Feeds `kubelet_pod_worker_duration_seconds`.
    public func podSyncFinished(_ operation: PodSyncOperation, duration: Duration) {
        podWorkerDuration.observe(duration, [operation.rawValue])
    }
}
