import EventHTTP
import FoundationEssentials
import KubeTypes
import NodeAgent
import NodeMetrics
import NodeStats

/// `/stats/summary`, `/metrics`, `/metrics/cadvisor`, `/metrics/resource`, `/metrics/probes`, `/spec` and
/// `/configz`.
///
/// Every handler reads caches and registries; none calls the runtime per pod. Authorization follows kubelet's
/// resource mapping: stats routes need `stats`, metrics routes `metrics` (the `metrics` and `viewer` roles),
/// `/spec` needs `spec` (viewer), and `/configz`, which kubelet puts under `nodes/proxy`, needs `configz` (admin).
public struct ObservabilityRoutes: Sendable {
    private let services: NodeObservability?

    /// Routes over the services; nil makes every route answer 503.
    public init(services: NodeObservability?) {
        self.services = services
    }

    /// The route table rows.
    public var routes: [APIRoute] {
        let services = self.services
        let summaries = EncodedSummaryCache()
        @Sendable func require() throws -> NodeObservability {
            guard let services else {
                throw APIStatusError(.serviceUnavailable("stats and metrics are not available on this node"))
            }
            return services
        }
        return [
            APIRoute("GET", "/stats/summary", access: .resource("stats")) { request, _ in
                let services = try require()
                guard let snapshot = services.stats.snapshot else {
                    throw APIStatusError(.serviceUnavailable("the first stats housekeeping pass has not finished yet"))
                }
                let only = request.query["only_cpu_and_memory"]
                guard only == nil || only == "true" || only == "false" else {
                    throw HTTPError.badRequest("only_cpu_and_memory must be true or false")
                }
                return .json(try summaries.json(for: snapshot, cpuAndMemoryOnly: only == "true"))
            },
            APIRoute("GET", "/metrics", access: .resource("metrics")) { request, _ in
                Self.exposition(try require().kubeletMetrics.registry.families(), request)
            },
            APIRoute("GET", "/metrics/cadvisor", access: .resource("metrics")) { request, _ in
                let services = try require()
                return Self.exposition(
                    CAdvisorFamilies.families(services.stats.snapshot, machine: services.stats.machineInfo), request)
            },
            APIRoute("GET", "/metrics/resource", access: .resource("metrics")) { request, _ in
                Self.exposition(ResourceFamilies.families(try require().stats.snapshot), request)
            },
            APIRoute("GET", "/metrics/probes", access: .resource("metrics")) { request, _ in
                Self.exposition(try require().probeMetrics.registry.families(), request)
            },
            APIRoute("GET", "/spec", access: .resource("spec")) { _, _ in
                let services = try require()
                let machine = services.stats.machineInfo
                let spec = MachineSpec(
                    numCores: machine.numCores, memoryCapacity: machine.memoryCapacity,
                    machineID: machine.machineID, bootID: machine.bootID, kernelVersion: machine.kernelVersion,
                    osImage: machine.osImage, architecture: machine.architecture,
                    containerRuntimeVersion: await services.runtimeVersion() ?? "",
                    swiftletVersion: services.version)
                return .json(try Self.encode(spec))
            },
            APIRoute("GET", "/configz", access: .resource("configz")) { _, _ in
                .json(try require().configz)
            },
        ]
    }

    static func exposition(_ families: [MetricFamily], _ request: HTTPRequest) -> HTTPResponse {
        let format = ExpositionFormat.negotiate(accept: request.headers["Accept"])
        return HTTPResponse(status: 200, headers: HTTPHeaders([("Content-Type", format.contentType)]),
                            body: .bytes(ExpositionWriter.render(families, format: format)))
    }

    static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(value))
    }
}

/// `/spec`: cAdvisor's machine-info field names, plus the runtime's and Swiftlet's versions.
struct MachineSpec: Encodable {
    var numCores: Int
    var memoryCapacity: UInt64
    var machineID: String
    var bootID: String
    var kernelVersion: String
    var osImage: String
    var architecture: String
    var containerRuntimeVersion: String
    var swiftletVersion: String

    enum CodingKeys: String, CodingKey {
        case numCores = "num_cores"
        case memoryCapacity = "memory_capacity"
        case machineID = "machine_id"
        case bootID = "boot_id"
        case kernelVersion = "kernel_version"
        case osImage = "os_image"
        case architecture
        case containerRuntimeVersion = "container_runtime_version"
        case swiftletVersion = "swiftlet_version"
    }
}
