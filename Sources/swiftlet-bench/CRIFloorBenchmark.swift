import CRI
import Foundation
import Logging
import ManagedRuntime

/// The CRI floor: what containerd itself costs to bring a pod to running, measured through Swiftlet's own CRI
/// client with no HTTP and no pod manager, next to `ctr run --rm` of the same image in the same run.
struct CRIFloorBenchmark {
    let runs: Int
    let image: String
    let pauseImage: String
    let logger: Logger

    func run() async throws {
        let root = "/run/swiftlet-bench/\(getpid())"
        var configuration = ManagedContainerd.Configuration(rootDirectory: root)
        configuration.podInfraContainerImage = pauseImage
        configuration.insecureRegistries = ["127.0.0.1:5000"]
        configuration.podCIDR = "10.253.0.0/24"
        configuration.cniNetworkName = "swiftlet-bench"
        configuration.cniBridgeName = "swbench0"
        let containerd = ManagedContainerd(configuration: configuration, logger: logger)
        try await containerd.start()
        let runtime = try GRPCContainerRuntime(endpoint: containerd.endpoint, logger: logger)
        do {
            _ = try await runtime.pullImage(image, auth: nil, sandboxConfig: nil)
            // One unmeasured round each, so first-use costs (CNI plugin cache, image unpack) stay out of the figures.
            _ = try await startPod(runtime, name: "warm-host", hostNetwork: true, root: root)
            _ = try await startPod(runtime, name: "warm-cni", hostNetwork: false, root: root)
            var rows: [(String, [Double])] = []
            for hostNetwork in [true, false] {
                var samples: [Double] = []
                for index in 0..<runs {
                    samples.append(try await startPod(runtime, name: "\(hostNetwork ? "host" : "cni")-\(index)", hostNetwork: hostNetwork, root: root))
                }
                rows.append((hostNetwork ? "CRI floor, host network" : "CRI floor, CNI bridge", samples))
            }
            rows.append(("ctr run --rm (baseline)", try ctrRuns(socket: containerd.paths.socket)))
            print("| path (\(runs) runs) | p50 ms | p90 ms |")
            print("|---|---|---|")
            for (label, samples) in rows {
                print("| \(label) | \(format(percentile(samples, 0.5))) | \(format(percentile(samples, 0.9))) |")
            }
        } catch {
            await runtime.close()
            await containerd.stop()
            throw error
        }
        await runtime.close()
        await containerd.stop()
        try? FileManager.default.removeItem(atPath: root)
    }

    /// RunPodSandbox + CreateContainer + StartContainer; returns milliseconds, then removes the pod (not timed).
    private func startPod(_ runtime: GRPCContainerRuntime, name: String, hostNetwork: Bool, root: String) async throws -> Double {
        let pod = try await CRIFloorPod.start(runtime, name: name, hostNetwork: hostNetwork, image: image, logRoot: root + "/logs")
        try await pod.remove(runtime)
        return pod.milliseconds
    }

    /// `ctr run --rm` of the same image with host networking, through the same containerd.
    private func ctrRuns(socket: String) throws -> [Double] {
        var samples: [Double] = []
        for index in 0..<runs {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/ctr")
            process.arguments = ["--address", socket, "-n", "k8s.io", "run", "--rm", "--net-host", image, "bench-ctr-\(getpid())-\(index)", "true"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            let started = Date()
            try process.run()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                throw BenchmarkError(message: "ctr run exited with \(process.terminationStatus)")
            }
            samples.append(Date().timeIntervalSince(started) * 1000)
        }
        return samples
    }
}

struct BenchmarkError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

func percentile(_ samples: [Double], _ fraction: Double) -> Double {
    let sorted = samples.sorted()
    guard !sorted.isEmpty else { return 0 }
    let index = min(sorted.count - 1, Int((Double(sorted.count - 1) * fraction).rounded()))
    return sorted[index]
}

func format(_ value: Double) -> String {
    String(format: "%.1f", value)
}
