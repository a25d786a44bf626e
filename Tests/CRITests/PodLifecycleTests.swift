import CRI
import Foundation
import Testing

@Suite("CRI pod lifecycle against a real containerd")
struct PodLifecycleTests {
    /// Main process: logs one line to each stream, exits 0 on SIGTERM (busybox sh as PID 1 ignores it otherwise).
    static let mainCommand = [
        "sh", "-c", "trap 'exit 0' TERM; echo hello-out; echo hello-err >&2; while true; do sleep 0.2; done",
    ]

    @Test("pull, sandbox, container, status, ExecSync, stats, CRI log file, graceful stop, remove",
          arguments: [true, false])
    func lifecycle(hostNetwork: Bool) async throws {
        try await withCRIClient { client, bed in
            let fixture = PodFixture()
            try await fixture.run(client) {
                let imageRef = try await client.pullImage(bed.busyboxImage, auth: nil, sandboxConfig: nil)
                #expect(imageRef.hasPrefix("sha256:"))

                let sandboxConfig = fixture.sandboxConfig(name: hostNetwork ? "host" : "cni", hostNetwork: hostNetwork)
                let sandboxID = try await client.runPodSandbox(sandboxConfig, runtimeHandler: "")
                let sandbox = try await client.podSandboxStatus(id: sandboxID, verbose: false).status
                #expect(sandbox.state == .sandboxReady)
                #expect(sandbox.metadata.uid == sandboxConfig.metadata.uid)
                if hostNetwork {
                    #expect(sandbox.linux.namespaces.options.network == .node)
                } else {
                    #expect(!sandbox.network.ip.isEmpty, "CNI gives the pod an address")
                }

                let containerConfig = fixture.containerConfig(
                    name: "main", image: bed.busyboxImage, command: Self.mainCommand)
                let containerID = try await client.createContainer(
                    sandboxID: sandboxID, config: containerConfig, sandboxConfig: sandboxConfig)
                try await client.startContainer(id: containerID)
                let running = try await client.containerStatus(id: containerID, verbose: false).status
                #expect(running.state == .containerRunning)
                #expect(running.logPath == "\(fixture.logDirectory)/main_0.log")

                // ExecSync: exit codes and both streams.
                let ok = try await client.execSync(id: containerID, command: ["true"], timeout: .seconds(10))
                #expect(ok.exitCode == 0)
                let failed = try await client.execSync(
                    id: containerID, command: ["sh", "-c", "echo out; echo err >&2; exit 3"], timeout: .seconds(10))
                #expect(failed.exitCode == 3)
                #expect(failed.stdoutText == "out\n")
                #expect(failed.stderrText == "err\n")
                // ExecSync timeout: the runtime gives up after 1 s; the call comes back well before 10 s.
                let started = ContinuousClock.now
                let timedOut = await #expect(throws: CRIError.self) {
                    _ = try await client.execSync(id: containerID, command: ["sleep", "30"], timeout: .seconds(1))
                }
                #expect(ContinuousClock.now - started < .seconds(10))
                #expect(timedOut?.code == .deadlineExceeded || timedOut?.code == .unknown,
                        "\(String(describing: timedOut))")

                // Cancelling the calling task ends a call that would otherwise run for 30 s.
                let cancelStart = ContinuousClock.now
                let longExec = Task {
                    try await client.execSync(id: containerID, command: ["sleep", "30"], timeout: nil)
                }
                try await Task.sleep(for: .milliseconds(300))
                longExec.cancel()
                let cancelled = await #expect(throws: CRIError.self) { _ = try await longExec.value }
                #expect(cancelled?.code == .cancelled, "\(String(describing: cancelled))")
                #expect(ContinuousClock.now - cancelStart < .seconds(5))

                // Stats: the container and the sandbox report memory; lists find them by id.
                let stats = try await client.containerStats(id: containerID)
                #expect(stats.attributes.id == containerID)
                #expect(stats.memory.workingSetBytes.value > 0)
                var statsFilter = Runtime_V1_ContainerStatsFilter()
                statsFilter.id = containerID
                #expect(try await client.listContainerStats(filter: statsFilter).map(\.attributes.id) == [containerID])
                let sandboxStats = try await client.podSandboxStats(id: sandboxID)
                #expect(sandboxStats.attributes.id == sandboxID)
                var sandboxStatsFilter = Runtime_V1_PodSandboxStatsFilter()
                sandboxStatsFilter.id = sandboxID
                #expect(try await client.listPodSandboxStats(filter: sandboxStatsFilter).count == 1)

                // The log file is on disk in CRI format: "<RFC3339Nano> <stream> <F|P> <content>".
                let logLines = try await Self.waitForLogLines(path: running.logPath, count: 2)
                let parsed = logLines.map { $0.split(separator: " ", maxSplits: 3).map(String.init) }
                #expect(parsed.contains { $0.count == 4 && $0[1] == "stdout" && $0[2] == "F" && $0[3] == "hello-out" })
                #expect(parsed.contains { $0.count == 4 && $0[1] == "stderr" && $0[2] == "F" && $0[3] == "hello-err" })
                #expect(parsed.allSatisfy { $0.first.map { $0.contains("T") && $0.hasSuffix("Z") } ?? false })

                // Graceful stop: the trap exits 0 at once, long before the 20 s grace period.
                let stopStart = ContinuousClock.now
                try await client.stopContainer(id: containerID, timeout: 20)
                #expect(ContinuousClock.now - stopStart < .seconds(10))
                let exited = try await client.containerStatus(id: containerID, verbose: false).status
                #expect(exited.state == .containerExited)
                #expect(exited.exitCode == 0)
                #expect(exited.reason == "Completed")

                try await client.removeContainer(id: containerID)
                try await client.stopPodSandbox(id: sandboxID)
                try await client.removePodSandbox(id: sandboxID)
                let gone = await #expect(throws: CRIError.self) {
                    _ = try await client.podSandboxStatus(id: sandboxID, verbose: false)
                }
                #expect(gone?.isNotFound == true)
                #expect(try await fixture.leftovers(client) == 0)
            }
        }
    }

    @Test("a second create with the same name and attempt is refused while the first exists")
    func duplicateNameRefused() async throws {
        try await withCRIClient { client, bed in
            let fixture = PodFixture()
            try await fixture.run(client) {
                _ = try await client.pullImage(bed.busyboxImage, auth: nil, sandboxConfig: nil)
                let sandboxConfig = fixture.sandboxConfig(name: "dup", hostNetwork: true)
                let sandboxID = try await client.runPodSandbox(sandboxConfig, runtimeHandler: "")
                let config = fixture.containerConfig(name: "c", image: bed.busyboxImage, command: ["true"])
                _ = try await client.createContainer(sandboxID: sandboxID, config: config, sandboxConfig: sandboxConfig)
                let error = await #expect(throws: CRIError.self) {
                    _ = try await client.createContainer(
                        sandboxID: sandboxID, config: config, sandboxConfig: sandboxConfig)
                }
                #expect(error?.message.contains("reserve") == true, "\(String(describing: error))")
                var filter = Runtime_V1_ContainerFilter()
                filter.podSandboxID = sandboxID
                #expect(try await client.listContainers(filter: filter).count == 1)
            }
            #expect(try await fixture.leftovers(client) == 0)
        }
    }

    static func waitForLogLines(path: String, count: Int) async throws -> [String] {
        let deadline = ContinuousClock.now + .seconds(10)
        var lines: [String] = []
        while ContinuousClock.now < deadline {
            if let text = try? String(contentsOfFile: path, encoding: .utf8) {
                lines = text.split(separator: "\n").map(String.init)
                if lines.count >= count { return lines }
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("log file \(path) has \(lines.count) lines, expected \(count)")
        return lines
    }
}
