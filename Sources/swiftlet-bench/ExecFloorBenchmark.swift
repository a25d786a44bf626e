import ArgumentParser
import CRI
import Foundation
import Logging

extension BenchCommand {
    /// `swiftlet-bench exec-floor`: the raw CRI `ExecSync` round trip, the floor under Swiftlet's one-shot exec.
    struct ExecFloor: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "exec-floor",
            abstract: "CRI ExecSync round trip (no HTTP) against a running container; prints p50 and p90 in ms."
        )

        @Option(help: "CRI endpoint, e.g. unix:///var/lib/swiftlet/containerd/containerd.sock.")
        var endpoint: String

        @Option(help: "ID of a running container.")
        var container: String

        @Option(help: "Sequential calls measured (after one unmeasured call).")
        var runs = 30

        @Option(parsing: .upToNextOption, help: "Command to run (default: true).")
        var command: [String] = ["true"]

        func run() async throws {
            var logger = Logger(label: "swiftlet-bench")
            logger.logLevel = .warning
            let runtime = try GRPCContainerRuntime(endpoint: endpoint, logger: logger)
            do {
                // The first call pays the connection setup; keep it out of the figures.
                _ = try await runtime.execSync(id: container, command: command, timeout: .seconds(10))
                var samples: [Double] = []
                let clock = ContinuousClock()
                for _ in 0..<runs {
                    let started = clock.now
                    let result = try await runtime.execSync(id: container, command: command, timeout: .seconds(10))
                    let elapsed = clock.now - started
                    guard result.exitCode == 0 else {
                        throw BenchmarkError(message: "\(command) exited with \(result.exitCode)")
                    }
                    samples.append(Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
                }
                samples.sort()
                let p50 = samples[samples.count / 2]
                let p90 = samples[min(samples.count - 1, samples.count * 9 / 10)]
                print(String(format: "%.1f %.1f", p50, p90))
            } catch {
                await runtime.close()
                throw error
            }
            await runtime.close()
        }
    }
}
