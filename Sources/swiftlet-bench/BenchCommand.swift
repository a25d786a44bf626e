import ArgumentParser
import Logging

/// `swiftlet-bench`: benchmarks that print figures side by side with a baseline measured in the same run.
@main
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "swiftlet-bench",
        abstract: "Swiftlet benchmarks; each prints a markdown table with its baseline from the same run.",
        subcommands: [CRIFloor.self, ExecFloor.self]
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
}
