import CRI
import Foundation
import Logging

/// Pod start latency the way the Kubernetes pod-startup SLI measures it: from `POST /pods` sent to the watch event
/// that shows the pod Running with every container started. One pod at a time, host network then CNI, each pod
/// interleaved with a CRI-floor pod on the same containerd (and a Podman play/kube pod when a Podman socket is
/// given), so the machine's noise hits all paths alike and the ratios hold.
struct PodStartBenchmark {
    let options: SwiftletOptions
    let runs: Int
    let networks: [Bool]
    let podman: PodmanPeer?
    let logger: Logger

    /// The figures of one network choice.
    struct Figures {
        var swiftlet: [Double] = []
        var floor: [Double] = []
        var podman: [Double] = []
        var errors: [String] = []
    }

    func run() async throws {
        let session = try await BenchSession.start(options: options, name: "ps", logger: logger)
        var results: [(hostNetwork: Bool, figures: Figures)] = []
        var cleanupErrors: [String] = []
        do {
            // One unmeasured pod per path and network: the image pull, the CNI plugins' first load and the agent's
            // first-use costs stay out of the figures.
            for hostNetwork in networks {
                var warm = Figures()
                try await measureOne(session, name: "warm-\(label(hostNetwork))", hostNetwork: hostNetwork, into: &warm)
                if let error = warm.errors.first { throw BenchmarkError(message: "warm-up pod failed: \(error)") }
            }
            for hostNetwork in networks {
                var figures = Figures()
                for index in 0..<runs {
                    try await measureOne(session, name: "ps-\(label(hostNetwork))-\(index)", hostNetwork: hostNetwork, into: &figures)
                    if figures.errors.count > 3 { break }
                }
                results.append((hostNetwork, figures))
            }
            let leftovers = try await session.ownedLeftovers()
            let sandboxes = try await session.allSandboxes()
            if leftovers.sandboxes + leftovers.containers + sandboxes > 0 {
                cleanupErrors.append("left in containerd: \(leftovers.sandboxes) Swiftlet sandboxes, \(leftovers.containers) Swiftlet containers, \(sandboxes) sandboxes in all")
            }
            BenchResult.emit("pod_start.leftover_sandboxes", Double(sandboxes))
        } catch {
            await session.deleteAllPods()
            await session.stop()
            throw error
        }
        if let failure = session.watch.failure { cleanupErrors.append("watch: \(failure)") }
        await session.stop()
        report(results, cleanupErrors: cleanupErrors)
    }

    private func label(_ hostNetwork: Bool) -> String { hostNetwork ? "host" : "cni" }

    /// A Swiftlet pod, then a floor pod, then a Podman pod (host network only), each removed before the next.
    private func measureOne(_ session: BenchSession, name: String, hostNetwork: Bool, into figures: inout Figures) async throws {
        let body = BenchPods.sleeper(name: name, image: options.image, hostNetwork: hostNetwork)
        let posted = try await session.post(body, name: name)
        if posted.status != 201 {
            figures.errors.append("\(name): POST answered \(posted.status): \(posted.body.prefix(300))")
        } else {
            let seen = await session.watch.wait(timeout: .seconds(60)) { watch in
                let times = watch.times(name)
                return times.runningAt != nil || times.failure != nil
            }
            let times = session.watch.times(name)
            if let runningAt = times.runningAt {
                figures.swiftlet.append(elapsedMilliseconds(from: posted.sentAt, to: runningAt))
            } else {
                figures.errors.append("\(name): \(times.failure ?? (seen ? "no running event" : "not running within 60 s"))")
            }
            let status = try await session.delete(name)
            guard status == 200 || status == 202 else { throw BenchmarkError(message: "DELETE \(name) answered \(status)") }
            let gone = await session.watch.wait(timeout: .seconds(60)) { $0.times(name).deletedAt != nil }
            guard gone else { throw BenchmarkError(message: "\(name) was not deleted within 60 s\n\(session.swiftlet.log.suffix(2000))") }
        }
        do {
            let floor = try await CRIFloorPod.start(
                session.runtime, name: "floor-" + name, hostNetwork: hostNetwork, image: options.image,
                logRoot: session.swiftlet.root + "/bench-logs")
            try await floor.remove(session.runtime)
            figures.floor.append(floor.milliseconds)
        } catch {
            figures.errors.append("floor-\(name): \(error)")
        }
        if let podman, hostNetwork {
            do {
                figures.podman.append(try await podman.playKube(name: "pm-" + name, body: BenchPods.sleeper(name: "pm-" + name, image: options.image, hostNetwork: true)))
            } catch {
                figures.errors.append("podman-\(name): \(error)")
            }
        }
    }

    private func report(_ results: [(hostNetwork: Bool, figures: Figures)], cleanupErrors: [String]) {
        print("### Pod start latency (POST sent → watch shows Running, all containers started), \(runs) pods per network")
        print()
        print(LatencySummary.header)
        var errorCount = cleanupErrors.count
        for (hostNetwork, figures) in results {
            let network = label(hostNetwork)
            let swiftlet = LatencySummary(samples: figures.swiftlet)
            let floor = LatencySummary(samples: figures.floor)
            print(swiftlet.row("Swiftlet, \(network) network"))
            print(floor.row("CRI floor, \(network) network"))
            if !figures.podman.isEmpty { print(LatencySummary(samples: figures.podman).row("Podman play/kube, \(network) network")) }
            let prefix = "pod_start.\(network)"
            BenchResult.emit("\(prefix).swiftlet.p50_ms", swiftlet.p50)
            BenchResult.emit("\(prefix).swiftlet.p90_ms", swiftlet.p90)
            BenchResult.emit("\(prefix).swiftlet.p99_ms", swiftlet.p99)
            BenchResult.emit("\(prefix).floor.p50_ms", floor.p50)
            BenchResult.emit("\(prefix).floor.p99_ms", floor.p99)
            BenchResult.emit("\(prefix).samples", Double(figures.swiftlet.count))
            if floor.p50 > 0 {
                BenchResult.emit("\(prefix).ratio_floor_p50", swiftlet.p50 / floor.p50)
                BenchResult.emit("\(prefix).ratio_floor_p99", swiftlet.p99 / floor.p99)
            }
            if !figures.podman.isEmpty {
                let podman = LatencySummary(samples: figures.podman)
                BenchResult.emit("\(prefix).podman.p50_ms", podman.p50)
                BenchResult.emit("\(prefix).ratio_podman_p50", swiftlet.p50 / podman.p50)
            }
            errorCount += figures.errors.count
            for error in figures.errors { print("error: \(error)") }
        }
        print()
        print("| ratio | " + results.map { "\(label($0.hostNetwork)) network" }.joined(separator: " | ") + " |")
        print("|---|" + results.map { _ in "---|" }.joined())
        func ratioRow(_ title: String, _ value: (Figures) -> Double?) {
            print("| \(title) | " + results.map { value($0.figures).map { String(format: "%.2f×", $0) } ?? "—" }.joined(separator: " | ") + " |")
        }
        ratioRow("Swiftlet/floor p50") { f in ratio(f.swiftlet, f.floor, 0.5) }
        ratioRow("Swiftlet/floor p99") { f in ratio(f.swiftlet, f.floor, 0.99) }
        ratioRow("Swiftlet/Podman p50") { f in ratio(f.swiftlet, f.podman, 0.5) }
        for error in cleanupErrors { print("error: \(error)") }
        BenchResult.emit("pod_start.errors", Double(errorCount))
    }

    private func ratio(_ a: [Double], _ b: [Double], _ fraction: Double) -> Double? {
        guard !a.isEmpty, !b.isEmpty, percentile(b, fraction) > 0 else { return nil }
        return percentile(a, fraction) / percentile(b, fraction)
    }
}
