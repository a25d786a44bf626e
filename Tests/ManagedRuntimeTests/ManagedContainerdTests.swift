import CRI
import Foundation
import ManagedRuntime
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A real containerd under supervision: readiness through CRI, a restart after kill -9, a clean stop, and
/// containers that outlive a containerd restart. Each test has a private instance (it kills and restarts it), so
/// the shared test runtime other suites use is never disturbed.
@Suite(.serialized) struct ManagedContainerdTests {
    /// Processes whose command line names `configFile` (a containerd of this instance).
    static func containerdProcesses(configFile: String) -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { pid_t($0) }.filter { pid in
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
            let arguments = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            return arguments.first?.hasSuffix("containerd") == true && arguments.contains(configFile)
        }
    }

    static func withClient<T: Sendable>(
        _ endpoint: String, _ body: (GRPCContainerRuntime) async throws -> T
    ) async throws -> T {
        let client = try GRPCContainerRuntime(endpoint: endpoint, logger: TestRuntime.makeLogger("test.cri"))
        do {
            let result = try await body(client)
            await client.close()
            return result
        } catch {
            await client.close()
            throw error
        }
    }

    @Test(.timeLimit(.minutes(3)))
    func startsBecomesReadySurvivesKillAndStopsCleanly() async throws {
        let runtime = try await TestRuntime.shared()
        let managed = try await runtime.makePrivateContainerd(name: "kill\(UInt16.random(in: 0...9999))")
        let configFile = managed.paths.configFile
        try await managed.start()
        do {
            let first = try #require(await managed.processID)
            #expect(FileManager.default.contents(atPath: managed.paths.pidFile).map { String(decoding: $0, as: UTF8.self) } == "\(first)\n")
            let status = try await Self.withClient(managed.endpoint) { try await $0.status(verbose: false) }
            #expect(status.runtimeReady)
            #expect(status.networkReady)

            // kill -9: the supervisor starts a new containerd after its 1 s backoff and CRI is ready again.
            #expect(kill(first, SIGKILL) == 0)
            let deadline = ContinuousClock.now + .seconds(30)
            var second: Int32?
            while ContinuousClock.now < deadline {
                if let pid = await managed.processID, pid != first {
                    second = pid
                    break
                }
                try await Task.sleep(for: .milliseconds(50))
            }
            let restarted = try #require(second, "containerd was not restarted within 30 s")
            try await managed.waitUntilReady(timeout: .seconds(30))
            #expect(await managed.unexpectedExitCount == 1)
            let again = try await Self.withClient(managed.endpoint) { try await $0.status(verbose: false) }
            #expect(again.runtimeReady && again.networkReady)
            #expect(Self.containerdProcesses(configFile: configFile) == [restarted])

            await managed.stop()
            #expect(Self.containerdProcesses(configFile: configFile).isEmpty)
            #expect(await managed.processID == nil)
            #expect(!FileManager.default.fileExists(atPath: managed.paths.pidFile))
            // The log kept both instances' output.
            let log = try String(contentsOfFile: managed.paths.logFile, encoding: .utf8)
            #expect(log.components(separatedBy: "starting containerd").count - 1 >= 2)
        } catch {
            await managed.stop()
            throw error
        }
    }

    @Test(.timeLimit(.minutes(3)))
    func leftoverInstanceFromACrashedRunIsStoppedFirst() async throws {
        let runtime = try await TestRuntime.shared()
        let name = "left\(UInt16.random(in: 0...9999))"
        let configuration = try await runtime.makePrivateContainerd(name: name).configuration
        let crashed = ManagedContainerd(configuration: configuration, logger: TestRuntime.makeLogger("test"))
        try await crashed.start()
        let orphan = try #require(await crashed.processID)
        // A second supervisor on the same root, as after a crash of the first: it must stop the orphan first.
        let next = ManagedContainerd(configuration: configuration, logger: TestRuntime.makeLogger("test"))
        do {
            try await next.start()
            let current = try #require(await next.processID)
            #expect(current != orphan)
            #expect(Self.containerdProcesses(configFile: configuration.rootDirectory + "/containerd/config.toml") == [current])
        } catch {
            await next.stop()
            await crashed.stop()
            throw error
        }
        await next.stop()
        await crashed.stop()
    }

    @Test(.timeLimit(.minutes(4)))
    func containerKeepsRunningAcrossAContainerdRestart() async throws {
        let runtime = try await TestRuntime.shared()
        let managed = try await runtime.makePrivateContainerd(name: "ctr\(UInt16.random(in: 0...9999))")
        try await managed.start()
        let scope = runtime.makeScope("survive")
        do {
            try await Self.withClient(managed.endpoint) { client in
                _ = try await client.pullImage(runtime.busyboxImage, auth: nil, sandboxConfig: nil)
                var sandbox = Runtime_V1_PodSandboxConfig()
                sandbox.metadata.name = scope.name("pod")
                sandbox.metadata.namespace = "managed-runtime-tests"
                sandbox.metadata.uid = scope.id
                sandbox.hostname = "survivor"
                sandbox.labels = scope.labels
                sandbox.logDirectory = scope.logDirectory
                let sandboxID = try await client.runPodSandbox(sandbox, runtimeHandler: "")
                var container = Runtime_V1_ContainerConfig()
                container.metadata.name = "sleeper"
                container.image.image = runtime.busyboxImage
                container.command = ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
                container.labels = scope.labels
                container.logPath = "sleeper_0.log"
                let containerID = try await client.createContainer(
                    sandboxID: sandboxID, config: container, sandboxConfig: sandbox)
                try await client.startContainer(id: containerID)
                let before = try await client.containerStatus(id: containerID, verbose: false).status
                #expect(before.state == .containerRunning)
                let podIP = try await client.podSandboxStatus(id: sandboxID, verbose: false).status.network.ip
                #expect(podIP.hasPrefix("10.250."))
            }

            let oldPID = try #require(await managed.processID)
            try await managed.restart()
            #expect(await managed.processID != oldPID)
            #expect(await managed.unexpectedExitCount == 0)

            // A new client, as after a restart: the container is still the same, still running, and answers exec.
            try await Self.withClient(managed.endpoint) { client in
                var filter = Runtime_V1_ContainerFilter()
                filter.labelSelector = scope.labels
                let containers = try await client.listContainers(filter: filter)
                let container = try #require(containers.first)
                #expect(containers.count == 1)
                let after = try await client.containerStatus(id: container.id, verbose: false).status
                #expect(after.state == .containerRunning)
                let exec = try await client.execSync(id: container.id, command: ["echo", "still here"], timeout: .seconds(10))
                #expect(exec.exitCode == 0)
                #expect(exec.stdoutText == "still here\n")
            }
            #expect(try await TestRuntime.cleanUp(scope, endpoint: managed.endpoint) == 1)
        } catch {
            _ = try? await TestRuntime.cleanUp(scope, endpoint: managed.endpoint)
            await managed.stop()
            throw error
        }
        await managed.stop()
    }
}
