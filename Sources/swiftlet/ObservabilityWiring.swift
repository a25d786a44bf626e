import CRI
import FoundationEssentials
import KubeTypes
import Logging
import NodeAPI
import NodeAgent
import NodeMetrics
import NodeStats

/// Builds the stats collector, the metric registries and their hooks (runtime decorator, HTTP middleware, pod
/// start tracker, probe observer) for one node, and starts and stops the background parts.
struct ObservabilityWiring {
    /// Swiftlet's version, reported by `/spec` and `swiftlet_build_info`.
    static let version = "0.1.0"

    let kubeletMetrics: KubeletMetrics
    let probeMetrics: ProbeMetrics
    let collector: StatsCollector
    /// The runtime the pod lifecycle engine uses: the CRI client, counted and timed.
    let instrumentedRuntime: InstrumentedRuntime
    let httpMetrics: HTTPMetricsMiddleware
    let podStarts: PodStartTracker
    let services: NodeObservability

    init(settings: NodeSettings, nodeName: String, rootDirectory: String, runtime: RuntimeConnection,
         store: ObjectStore<Pod>, logger: Logger) throws {
        let managed = runtime.managed
        collector = StatsCollector(
            runtime: runtime.client,
            configuration: StatsCollectorConfiguration(
                nodeName: nodeName, rootDirectory: rootDirectory, housekeepingInterval: try settings.housekeepingInterval,
                ownerLabels: PodManagerConfiguration(nodeName: nodeName, rootDirectory: rootDirectory).ownerLabels,
                runtimePID: { await managed?.processID }),
            pods: { await store.list().items },
            logger: logger)
        kubeletMetrics = KubeletMetrics(version: Self.version, stats: collector)
        probeMetrics = ProbeMetrics()
        let instrumented = InstrumentedRuntime(runtime.client, metrics: kubeletMetrics)
        instrumentedRuntime = instrumented
        httpMetrics = HTTPMetricsMiddleware(metrics: kubeletMetrics) { pattern in
            pattern.hasPrefix("/exec") || pattern.hasPrefix("/attach") || pattern.hasPrefix("/portForward")
                || pattern.hasPrefix("/containerLogs") || pattern.hasPrefix("/logs")
        }
        podStarts = PodStartTracker(store: store, metrics: kubeletMetrics,
                                    pullSeconds: { instrumented.takePullSeconds(podUID: $0) }, logger: logger)
        let client = runtime.client
        services = NodeObservability(
            stats: collector, kubeletMetrics: kubeletMetrics, probeMetrics: probeMetrics, version: Self.version,
            runtimeVersion: {
                guard let version = try? await client.version() else { return nil }
                return "\(version.runtimeName)://\(version.runtimeVersion)"
            },
            configz: Self.configz(settings))
    }

    /// Starts the pod start tracker now and the housekeeping loop once the runtime answers.
    func start(runtime: RuntimeConnection) -> Task<Void, Never> {
        podStarts.start()
        let collector = self.collector
        return Task {
            await runtime.waitUntilReady()
            guard !Task.isCancelled else { return }
            collector.start()
        }
    }

    /// Stops the background parts.
    func stop(_ startup: Task<Void, Never>) async {
        startup.cancel()
        podStarts.stop()
        await collector.stop()
    }

    /// `/configz`: kubelet's `{"kubeletconfig": {...}}` with every effective setting. Settings hold file paths, never
    /// secret values (tokens live in the token file), but anything named like a secret is redacted all the same.
    static func configz(_ settings: NodeSettings) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // The settings' own encoding, read back as a tree, so that redaction sees the keys as they are written.
        guard let data = try? encoder.encode(settings),
              var object = try? JSONDecoder().decode([String: JSONValue].self, from: data)
        else { return Array(#"{"kubeletconfig":{}}"#.utf8) }
        for key in object.keys {
            let lower = key.lowercased()
            let isPath = lower.hasSuffix("file") || lower.hasSuffix("dir") || lower.hasSuffix("path")
            if !isPath && (lower.contains("token") || lower.contains("password") || lower.contains("secret")) {
                object[key] = .string("<redacted>")
            }
        }
        return (try? Array(encoder.encode(["kubeletconfig": object]))) ?? []
    }
}
