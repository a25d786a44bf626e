import ArgumentParser
import Logging

/// `swiftlet-bench`: benchmarks that print figures side by side with a baseline measured in the same run.
@main
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "swiftlet-bench",
        abstract: "Swiftlet benchmarks; each prints a markdown table with its baseline from the same run.",
        subcommands: [CRIFloor.self, ExecFloor.self, PodStart.self, Density.self]
    )

    struct CRIFloor: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cri-floor",
            abstract: "RunPodSandbox + CreateContainer + StartContainer to running (host network and CNI) next to ctr run --rm."
        )

        @Option(help: "Pods per path.")
        var runs = 20

        @Option(help: "Container image (pulled from the local test-bed registry).")
        var image = "127.0.0.1:5000/busybox:1.35"

        @Option(help: "Sandbox image.")
        var pauseImage = "127.0.0.1:5000/pause:3.9"

        func run() async throws {
            var logger = Logger(label: "swiftlet-bench")
            logger.logLevel = .warning
            try await CRIFloorBenchmark(runs: runs, image: image, pauseImage: pauseImage, logger: logger).run()
        }
    }

    /// The agent under measurement and where its images come from.
    struct AgentOptions: ParsableArguments {
        @Option(help: "The swiftlet binary to measure.")
        var swiftlet: String

        @Option(help: "Container image (from the local test-bed registry).")
        var image = "127.0.0.1:5000/busybox:1.35"

        @Option(help: "Sandbox image.")
        var pauseImage = "127.0.0.1:5000/pause:3.9"

        @Option(help: "Plain-HTTP registry the agent's containerd pulls from.")
        var registry = "127.0.0.1:5000"

        @Option(help: "Pod network of the agent's managed containerd.")
        var podCIDR = "10.251.0.0/24"

        @Option(name: .customLong("swiftlet-arg"), help: "Extra argument for swiftlet (repeatable).")
        var swiftletArguments: [String] = []

        var settings: SwiftletOptions {
            SwiftletOptions(swiftlet: swiftlet, image: image, pauseImage: pauseImage, registry: registry,
                            podCIDR: podCIDR, swiftletArguments: swiftletArguments)
        }
    }

    struct PodStart: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "pod-start",
            abstract: "POST /pods → watch shows Running, one pod at a time (host network, then CNI), interleaved with the CRI floor and Podman's play/kube."
        )

        @OptionGroup var agent: AgentOptions

        @Option(help: "Pods per network.")
        var runs = 30

        @Option(help: "Networks to measure: host, cni or both.")
        var network = "both"

        @Option(help: "Socket of a running `podman system service` (deploy/bench/podman-service.sh); omitted: no Podman column.")
        var podmanSocket: String?

        @Flag(help: "A few pods, a few seconds: the test suite's check that the benchmark still works.")
        var smoke = false

        func run() async throws {
            var logger = Logger(label: "swiftlet-bench")
            logger.logLevel = .warning
            let networks: [Bool]
            switch network {
            case "host": networks = [true]
            case "cni": networks = [false]
            case "both": networks = [true, false]
            default: throw ValidationError("--network is host, cni or both")
            }
            let podman = try podmanSocket.map { try PodmanPeer(socket: $0) }
            try await PodStartBenchmark(options: agent.settings, runs: smoke ? 3 : runs, networks: networks,
                                        podman: podman, logger: logger).run()
        }
    }

    struct Density: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "density",
            abstract: "Pods posted at once with probes: time to all Running, start latency, RSS and CPU, delete all, nothing left in containerd."
        )

        @OptionGroup var agent: AgentOptions

        @Option(help: "Pods posted at once (kubelet's default maxPods is 110).")
        var pods = 110

        @Option(help: "Network: host (each pod's httpd on its own port) or cni.")
        var network = "host"

        @Option(help: "Concurrent keep-alive connections the pods are posted over.")
        var connections = 8

        @Option(help: "Probe period in seconds (exec readiness and httpGet liveness).")
        var probePeriod = 10

        @Option(help: "Seconds of CPU measurement with every pod running.")
        var cpuSeconds = 60

        @Option(help: "Shell command run while the pods are up (gets SWIFTLET_PORT, SWIFTLET_CA, SWIFTLET_TOKEN, SWIFTLET_PID, SWIFTLET_PKI).")
        var whileRunning: String?

        @Flag(help: "3 pods, a 2 s CPU window: the test suite's check that the benchmark still works.")
        var smoke = false

        func run() async throws {
            var logger = Logger(label: "swiftlet-bench")
            logger.logLevel = .warning
            guard network == "host" || network == "cni" else { throw ValidationError("--network is host or cni") }
            try await DensityBenchmark(
                options: agent.settings, pods: smoke ? 3 : pods, hostNetwork: network == "host",
                connections: connections, probePeriod: probePeriod, cpuWindow: .seconds(smoke ? 2 : cpuSeconds),
                settle: .seconds(smoke ? 1 : 5), runningTimeout: .seconds(smoke ? 60 : 300),
                holdCommand: whileRunning, holdTimeout: .seconds(1800), logger: logger
            ).run()
        }
    }
}
