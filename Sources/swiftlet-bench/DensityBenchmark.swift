import Foundation
import Logging

/// Density and overhead: `pods` probed pods posted at once (the kubelet default maxPods is 110), the time until all
/// run and each pod's start latency, the agent's RSS idle and loaded and its CPU per minute while the pods' probes
/// run, next to containerd's and the shims' own figures; then everything deleted at once, the time until all are
/// gone, and a check that nothing of Swiftlet's is left in containerd.
struct DensityBenchmark {
    let options: SwiftletOptions
    let pods: Int
    let hostNetwork: Bool
    let connections: Int
    let probePeriod: Int
    let cpuWindow: Duration
    let settle: Duration
    let runningTimeout: Duration
    /// A shell command run while the pods are up (deploy/bench/api-bench.sh), with SWIFTLET_PORT, SWIFTLET_CA,
    /// SWIFTLET_TOKEN and SWIFTLET_PID in its environment.
    let holdCommand: String?
    let holdTimeout: Duration
    let logger: Logger

    func run() async throws {
        let session = try await BenchSession.start(options: options, name: "dn", logger: logger)
        do {
            try await measure(session)
        } catch {
            await session.deleteAllPods()
            await session.stop()
            throw error
        }
        await session.stop()
    }

    private func measure(_ session: BenchSession) async throws {
        var errors: [String] = []
        let agentPID = session.swiftlet.pid
        guard let containerdPID = session.swiftlet.containerdPID else { throw BenchmarkError(message: "no containerd pid file") }

        // Warm-up: one pod pulls the image, so the burst measures starts, not a pull.
        let warm = try await session.post(BenchPods.sleeper(name: "warm", image: options.image, hostNetwork: hostNetwork), name: "warm")
        guard warm.status == 201 else { throw BenchmarkError(message: "warm-up POST answered \(warm.status): \(warm.body)") }
        guard await session.watch.wait(timeout: .seconds(120), until: { $0.times("warm").runningAt != nil }) else {
            throw BenchmarkError(message: "warm-up pod not running: \(session.watch.times("warm").failure ?? "timeout")\n\(session.swiftlet.log.suffix(2000))")
        }
        _ = try await session.delete("warm")
        _ = await session.watch.wait(timeout: .seconds(60)) { $0.times("warm").deletedAt != nil }

        try await Task.sleep(for: settle)
        let idleRSS = ProcessFigures.rssMiB(agentPID) ?? 0
        let idleContainerdRSS = ProcessFigures.rssMiB(containerdPID) ?? 0

        // The burst: every pod posted at once over `connections` keep-alive connections.
        let names = (0..<pods).map { "dn-\($0)" }
        let bodies = names.enumerated().map { index, name in
            BenchPods.probed(name: name, image: options.image, hostNetwork: hostNetwork,
                             port: hostNetwork ? 20000 + index : 8080, period: probePeriod)
        }
        let posted = try await fanOut(session, count: names.count) { connection, index in
            let sentAt = try connection.send(method: "POST", path: "/pods", token: session.swiftlet.token, body: Array(bodies[index].utf8))
            let response = try connection.readResponse()
            return BenchSession.Posted(name: names[index], sentAt: sentAt, status: response.status, body: response.text)
        }
        for item in posted where item.status != 201 { errors.append("\(item.name): POST answered \(item.status): \(item.body.prefix(200))") }
        let accepted = posted.filter { $0.status == 201 }
        let burstStart = posted.map(\.sentAt).min() ?? monotonicNanos()
        let allRunning = await session.watch.wait(timeout: runningTimeout) { watch in
            accepted.allSatisfy { let t = watch.times($0.name); return t.runningAt != nil || t.failure != nil }
        }
        var latencies: [Double] = []
        var lastRunning = burstStart
        for item in accepted {
            let times = session.watch.times(item.name)
            if let runningAt = times.runningAt {
                latencies.append(elapsedMilliseconds(from: item.sentAt, to: runningAt))
                lastRunning = max(lastRunning, runningAt)
            } else {
                errors.append("\(item.name): \(times.failure ?? "not running within \(runningTimeout)")")
            }
        }
        let allRunningSeconds = elapsedMilliseconds(from: burstStart, to: lastRunning) / 1000

        // Overhead with every pod running and probed.
        try await Task.sleep(for: settle)
        let loadedRSS = ProcessFigures.rssMiB(agentPID) ?? 0
        let shims = ProcessFigures.shimPIDs(containerdSocket: session.swiftlet.criSocket)
        let cpu = try await cpuWindow(agent: agentPID, containerd: containerdPID, shims: shims)
        let loadedContainerdRSS = ProcessFigures.rssMiB(containerdPID) ?? 0
        let shimPSS = shims.compactMap(ProcessFigures.pssMiB).reduce(0, +)
        let probes = try await probeEvidence(session)

        var rssAfterHold: Double?
        if let holdCommand {
            try await runHold(holdCommand, session: session)
            rssAfterHold = ProcessFigures.rssMiB(agentPID)
        }

        // Delete everything at once, then wait for the watch to show every pod gone.
        let deleteStart = monotonicNanos()
        let statuses = try await fanOut(session, count: accepted.count) { connection, index in
            try connection.request(method: "DELETE", path: "/pods/default/\(accepted[index].name)?gracePeriodSeconds=0",
                                   token: session.swiftlet.token).status
        }
        for (index, status) in statuses.enumerated() where status != 200 && status != 202 {
            errors.append("\(accepted[index].name): DELETE answered \(status)")
        }
        let allGone = await session.watch.wait(timeout: runningTimeout) { watch in
            accepted.allSatisfy { watch.times($0.name).deletedAt != nil }
        }
        let lastGone = accepted.compactMap { session.watch.times($0.name).deletedAt }.max() ?? deleteStart
        if !allGone { errors.append("not every pod was deleted within \(runningTimeout)") }
        let deleteSeconds = elapsedMilliseconds(from: deleteStart, to: lastGone) / 1000

        // Nothing of Swiftlet's may stay in containerd; removal of sandboxes may trail the API by a little.
        var leftovers = try await session.ownedLeftovers()
        let leftoverDeadline = ContinuousClock.now + .seconds(60)
        while leftovers.sandboxes + leftovers.containers > 0, ContinuousClock.now < leftoverDeadline {
            try await Task.sleep(for: .milliseconds(100))
            leftovers = try await session.ownedLeftovers()
        }
        let cleanSeconds = elapsedMilliseconds(from: deleteStart, to: monotonicNanos()) / 1000
        if leftovers.sandboxes + leftovers.containers > 0 {
            errors.append("left in containerd: \(leftovers.sandboxes) sandboxes, \(leftovers.containers) containers")
        }
        if let failure = session.watch.failure { errors.append("watch: \(failure)") }

        // The floor's own failures are containerd's, not Swiftlet's: reported apart from the burst's errors.
        let floor = try await floorBurst(session, count: pods)

        let summary = LatencySummary(samples: latencies)
        print("### Density: \(pods) pods posted at once (\(hostNetwork ? "host" : "CNI") network, \(connections) connections, exec readiness + httpGet liveness probes every \(probePeriod) s)")
        print()
        print("| figure | value |")
        print("|---|---|")
        print("| pods Running | \(latencies.count) / \(pods) |")
        print("| errors | \(errors.count) |")
        print("| first POST → all Running | \(format(allRunningSeconds)) s (\(allRunning ? "complete" : "incomplete")) |")
        print("| per-pod start p50 / p90 / p99 / max | \(format(summary.p50)) / \(format(summary.p90)) / \(format(summary.p99)) / \(format(summary.max)) ms |")
        print("| first DELETE → all gone from the API | \(format(deleteSeconds)) s |")
        print("| first DELETE → none left in containerd | \(format(cleanSeconds)) s (\(leftovers.sandboxes) sandboxes, \(leftovers.containers) containers left) |")
        print("| probed pods Ready / container restarts | \(probes.ready) / \(probes.restarts) |")
        print("| CRI floor: \(pods) sandboxes + containers started at once, all running | \(format(floor.allSeconds)) s |")
        print("| CRI floor burst per-pod p50 / p90 / p99 | \(format(floor.latency.p50)) / \(format(floor.latency.p90)) / \(format(floor.latency.p99)) ms |")
        print()
        print("### Overhead (\(format(cpu.swiftlet.seconds)) s window with \(latencies.count) probed pods running)")
        print()
        print("| process | RSS idle MiB | RSS with pods MiB | CPU s/min | % of one core |")
        print("|---|---|---|---|---|")
        print("| swiftlet | \(format(idleRSS)) | \(format(loadedRSS))\(rssAfterHold.map { " (\(format($0)) after API load)" } ?? "") | \(format2(cpu.swiftlet.perMinute)) | \(format2(cpu.swiftlet.percentOfCore)) |")
        print("| containerd | \(format(idleContainerdRSS)) | \(format(loadedContainerdRSS)) | \(format2(cpu.containerd.perMinute)) | \(format2(cpu.containerd.percentOfCore)) |")
        print("| \(shims.count) shims (sum of PSS) | — | \(format(shimPSS)) | \(format2(cpu.shims.perMinute)) | \(format2(cpu.shims.percentOfCore)) |")
        for error in errors.prefix(20) { print("error: \(error)") }
        for error in floor.errors.prefix(5) { print("CRI floor burst error: \(error)") }
        BenchResult.emit("density.floor_errors", Double(floor.errors.count))
        BenchResult.emit("density.pods", Double(pods))
        BenchResult.emit("density.running", Double(latencies.count))
        BenchResult.emit("density.errors", Double(errors.count))
        BenchResult.emit("density.all_running_s", allRunningSeconds)
        BenchResult.emit("density.start_p50_ms", summary.p50)
        BenchResult.emit("density.start_p90_ms", summary.p90)
        BenchResult.emit("density.start_p99_ms", summary.p99)
        BenchResult.emit("density.delete_all_s", deleteSeconds)
        BenchResult.emit("density.clean_s", cleanSeconds)
        BenchResult.emit("density.leftover_sandboxes", Double(leftovers.sandboxes))
        BenchResult.emit("density.leftover_containers", Double(leftovers.containers))
        BenchResult.emit("density.ready_pods", Double(probes.ready))
        BenchResult.emit("density.restarts", Double(probes.restarts))
        BenchResult.emit("density.floor_all_running_s", floor.allSeconds)
        BenchResult.emit("density.floor_start_p50_ms", floor.latency.p50)
        BenchResult.emit("density.floor_start_p99_ms", floor.latency.p99)
        BenchResult.emit("overhead.rss_idle_mib", idleRSS)
        BenchResult.emit("overhead.rss_loaded_mib", loadedRSS)
        if let rssAfterHold { BenchResult.emit("overhead.rss_after_api_mib", rssAfterHold) }
        BenchResult.emit("overhead.cpu_s_per_min", cpu.swiftlet.perMinute)
        BenchResult.emit("overhead.cpu_percent_core", cpu.swiftlet.percentOfCore)
        BenchResult.emit("overhead.containerd_rss_mib", loadedContainerdRSS)
        BenchResult.emit("overhead.containerd_cpu_s_per_min", cpu.containerd.perMinute)
        BenchResult.emit("overhead.shims_pss_mib", shimPSS)
        BenchResult.emit("overhead.shims_cpu_s_per_min", cpu.shims.perMinute)
    }

    /// Runs `work` for indices 0..<count on `connections` threads, each with its own keep-alive connection; results
    /// come back in index order.
    private func fanOut<T: Sendable>(_ session: BenchSession, count: Int, _ work: @escaping @Sendable (HTTPSConnection, Int) throws -> T) async throws -> [T] {
        let lanes = max(1, min(connections, count))
        let port = session.swiftlet.port, ca = session.swiftlet.caFile
        // Connections first, so handshakes stay out of the burst.
        var opened: [HTTPSConnection] = []
        for _ in 0..<lanes { opened.append(try await onThread { try HTTPSConnection(port: port, caFile: ca) }) }
        let pool = opened
        return try await withThrowingTaskGroup(of: [(Int, T)].self) { group in
            for lane in 0..<lanes {
                let connection = pool[lane]
                group.addTask {
                    try await onThread {
                        try stride(from: lane, to: count, by: lanes).map { index in (index, try work(connection, index)) }
                    }
                }
            }
            var results: [(Int, T)] = []
            for try await part in group { results += part }
            return results.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    /// The same burst straight through the CRI on the agent's containerd, after Swiftlet's pods are gone: `count`
    /// sleeping pods started at once (RunPodSandbox + CreateContainer + StartContainer each), timed from the burst's
    /// start, then removed. What containerd alone needs for a burst on this machine, for reading the goal.
    private func floorBurst(_ session: BenchSession, count: Int) async throws -> (allSeconds: Double, latency: LatencySummary, errors: [String]) {
        let runtime = session.runtime, image = options.image, hostNetwork = hostNetwork
        let logRoot = session.swiftlet.root + "/bench-logs"
        let start = monotonicNanos()
        let outcomes = await withTaskGroup(of: Result<(CRIFloorPod, UInt64), BenchmarkError>.self) { group in
            for index in 0..<count {
                group.addTask {
                    do {
                        let pod = try await CRIFloorPod.start(runtime, name: "floor-burst-\(index)", hostNetwork: hostNetwork, image: image, logRoot: logRoot)
                        return .success((pod, monotonicNanos()))
                    } catch {
                        return .failure(BenchmarkError(message: "floor-burst-\(index): \(error)"))
                    }
                }
            }
            var outcomes: [Result<(CRIFloorPod, UInt64), BenchmarkError>] = []
            for await outcome in group { outcomes.append(outcome) }
            return outcomes
        }
        var latencies: [Double] = [], errors: [String] = [], pods: [CRIFloorPod] = []
        for outcome in outcomes {
            switch outcome {
            case let .success((pod, runningAt)):
                pods.append(pod)
                latencies.append(elapsedMilliseconds(from: start, to: runningAt))
            case let .failure(error):
                errors.append(error.message)
            }
        }
        let allSeconds = (latencies.max() ?? 0) / 1000
        // Removal under a 110-pod teardown can fail transiently; one retry, then the error is reported.
        let removalErrors = await withTaskGroup(of: String?.self) { group in
            for pod in pods {
                group.addTask {
                    if (try? await pod.remove(runtime)) != nil { return nil }
                    try? await Task.sleep(for: .milliseconds(500))
                    do { try await pod.remove(runtime); return nil } catch { return "removing \(pod.sandboxID.prefix(12)): \(error)" }
                }
            }
            var failures: [String] = []
            for await failure in group { if let failure { failures.append(failure) } }
            return failures
        }
        errors += removalErrors
        await session.removeFloorSandboxes()
        let left = try await session.allSandboxes()
        if left > 0 { errors.append("CRI floor burst left \(left) sandboxes") }
        return (allSeconds, LatencySummary(samples: latencies), errors)
    }

    private struct CPUFigures {
        var swiftlet: CPUWindow
        var containerd: CPUWindow
        var shims: CPUWindow
    }

    private func cpuWindow(agent: Int32, containerd: Int32, shims: [Int32]) async throws -> CPUFigures {
        func sample() -> (Double, Double, Double) {
            (ProcessFigures.cpuSeconds(agent) ?? 0, ProcessFigures.cpuSeconds(containerd) ?? 0,
             shims.compactMap(ProcessFigures.cpuSeconds).reduce(0, +))
        }
        let before = sample(), start = monotonicNanos()
        try await Task.sleep(for: cpuWindow)
        let after = sample(), seconds = elapsedMilliseconds(from: start, to: monotonicNanos()) / 1000
        return CPUFigures(
            swiftlet: CPUWindow(seconds: seconds, cpuSeconds: after.0 - before.0),
            containerd: CPUWindow(seconds: seconds, cpuSeconds: after.1 - before.1),
            shims: CPUWindow(seconds: seconds, cpuSeconds: after.2 - before.2))
    }

    /// Pods whose Ready condition is True (the exec readiness probe passed) and the containers' restart count (the
    /// liveness probe failing would restart them), from one `GET /pods`.
    private func probeEvidence(_ session: BenchSession) async throws -> (ready: Int, restarts: Int) {
        let connection = session.api, token = session.swiftlet.token
        let list = try await onThread { try connection.request(method: "GET", path: "/pods", token: token) }
        guard list.status == 200, let object = try JSONSerialization.jsonObject(with: Data(list.body)) as? [String: Any],
              let items = object["items"] as? [[String: Any]] else {
            throw BenchmarkError(message: "GET /pods answered \(list.status)")
        }
        var ready = 0, restarts = 0
        for item in items {
            let status = item["status"] as? [String: Any]
            let conditions = status?["conditions"] as? [[String: Any]] ?? []
            if conditions.contains(where: { $0["type"] as? String == "Ready" && $0["status"] as? String == "True" }) { ready += 1 }
            for container in status?["containerStatuses"] as? [[String: Any]] ?? [] {
                restarts += (container["restartCount"] as? Int) ?? 0
            }
        }
        return (ready, restarts)
    }

    private func runHold(_ command: String, session: BenchSession) async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        var environment = ProcessInfo.processInfo.environment
        environment["SWIFTLET_PORT"] = String(session.swiftlet.port)
        environment["SWIFTLET_CA"] = session.swiftlet.caFile
        environment["SWIFTLET_TOKEN"] = session.swiftlet.token
        environment["SWIFTLET_PID"] = String(session.swiftlet.pid)
        environment["SWIFTLET_PKI"] = session.swiftlet.root + "/pki"
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = ContinuousClock.now + holdTimeout
        while process.isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(200)) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            throw BenchmarkError(message: "the command run with the pods up did not finish within \(holdTimeout)")
        }
        guard process.terminationStatus == 0 else {
            throw BenchmarkError(message: "the command run with the pods up exited with \(process.terminationStatus)")
        }
    }
}

func format2(_ value: Double) -> String {
    String(format: "%.2f", value)
}
