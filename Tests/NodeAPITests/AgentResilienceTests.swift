import CRI
import Foundation
import KubeTypes
import Logging
import Testing
import TestSupport

/// The agent killed with SIGKILL while it creates, runs and deletes a pod, and its containerd killed under running
/// pods: after each restart nothing is duplicated, nothing is orphaned and the statuses come back right.
@Suite struct AgentResilienceTests {
    typealias Agent = SwiftletExecutableTests.Agent

    /// An agent on a managed containerd under `root`, restartable over the same root.
    struct Node {
        let root: String
        let extraArguments: [String]

        func start() async throws -> Agent {
            let agent = try Agent(
                arguments: ["--pod-infra-container-image", "127.0.0.1:5000/pause:3.9", "--insecure-registry", "127.0.0.1:5000",
                            "--relist-period", "300ms"] + extraArguments,
                port: 0, root: root, stateDirectory: root)
            try await agent.waitUntilServing()
            let clock = ContinuousClock()
            let deadline = clock.now + .seconds(90)
            while clock.now < deadline, try await agent.curl("/readyz").0 != 200 {
                try await Task.sleep(for: .milliseconds(200))
            }
            #expect(try await agent.curl("/readyz").0 == 200, "runtime never ready:\n\(agent.log)")
            return agent
        }

        var token: String {
            get throws {
                try String(contentsOfFile: root + "/admin.token", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            }
        }

        var containerdPID: Int32? {
            (try? String(contentsOfFile: root + "/containerd/containerd.pid", encoding: .utf8))
                .flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }

        /// A CRI client to the node's own containerd, to count what really exists.
        func runtime() throws -> GRPCContainerRuntime {
            try GRPCContainerRuntime(endpoint: "unix://\(root)/containerd/containerd.sock",
                                     logger: TestRuntime.makeLogger("swiftlet.test.resilience"))
        }

        /// Sandboxes and containers of the pod with `uid`, as containerd lists them.
        func runtimeObjects(uid: String) async throws -> (sandboxes: [Runtime_V1_PodSandbox], containers: [Runtime_V1_Container]) {
            let client = try runtime()
            var sandboxFilter = Runtime_V1_PodSandboxFilter()
            sandboxFilter.labelSelector = ["io.kubernetes.pod.uid": uid]
            var containerFilter = Runtime_V1_ContainerFilter()
            containerFilter.labelSelector = ["io.kubernetes.pod.uid": uid]
            do {
                let sandboxes = try await client.listPodSandboxes(filter: sandboxFilter)
                let containers = try await client.listContainers(filter: containerFilter)
                await client.close()
                return (sandboxes, containers)
            } catch {
                await client.close()
                throw error
            }
        }

        /// Stops what a killed agent leaves: the managed containerd, its shims and containers.
        func tearDown(_ agent: Agent?) async {
            if let agent { _ = await agent.terminate(timeout: .seconds(30)) }
            if let pid = containerdPID, pid > 1 { kill(pid, SIGKILL) }
            agent?.cleanUp()
        }
    }

    static func podJSON(_ name: String, script: String, restartPolicy: String = "Always", grace: Int = 30) -> String {
        let quoted = String(decoding: try! JSONEncoder().encode(script), as: UTF8.self)
        return #"{"metadata":{"name":"\#(name)"},"spec":{"hostNetwork":true,"restartPolicy":"\#(restartPolicy)","terminationGracePeriodSeconds":\#(grace),"containers":[{"name":"app","image":"127.0.0.1:5000/busybox:1.35","command":["sh","-c",\#(quoted)]}]}}"#
    }

    static func post(_ agent: Agent, token: String, _ body: String) async throws -> Int {
        try await SwiftletEndToEndTests.post(agent, token: token, body: body)
    }

    static func pod(_ agent: Agent, token: String, _ name: String) async throws -> Pod? {
        let (status, body) = try await agent.curl("/pods/default/\(name)", token: token)
        return status == 200 ? try KubeJSON.decode(Pod.self, from: Array(body.utf8)) : nil
    }

    /// Polls the pod until `done` holds (nil: gone) or `timeout` passes; returns the last pod seen.
    static func waitFor(_ agent: Agent, token: String, _ name: String, timeout: Duration = .seconds(60),
                        _ done: (Pod?) -> Bool) async throws -> Pod? {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var last: Pod?
        while clock.now < deadline {
            last = try await pod(agent, token: token, name)
            if done(last) { return last }
            try await Task.sleep(for: .milliseconds(200))
        }
        return last
    }

    static func killNine(_ agent: Agent) async throws {
        kill(agent.process.processIdentifier, SIGKILL)
        let process = agent.process
        _ = try await offPool { process.waitUntilExit() }
    }

    @Test func killNineDuringCreateRunAndDeleteNeverDuplicatesOrOrphans() async throws {
        try await TestBed.ensureUp()
        let node = Node(root: "/run/swiftlet-res-\(UUID().uuidString.prefix(8).lowercased())", extraArguments: ["--pod-cidr", "10.252.9.0/24"])
        var agent: Agent? = try await node.start()
        do {
            let token = try node.token
            // The pod ignores SIGTERM for two seconds, so a deletion is still running when the agent dies.
            let body = Self.podJSON("survivor", script: "trap 'sleep 2; exit 0' TERM; while true; do sleep 0.2; done", grace: 20)

            // 1. Killed right after the 201, while the sandbox and container are being created.
            #expect(try await Self.post(try #require(agent), token: token, body) == 201)
            try await Self.killNine(try #require(agent))
            agent = try await node.start()
            let running = try await Self.waitFor(try #require(agent), token: token, "survivor") { $0?.status.phase == .running }
            let uid = try #require(running?.metadata.uid)
            var objects = try await node.runtimeObjects(uid: uid)
            #expect(objects.sandboxes.filter { $0.state == .sandboxReady }.count == 1, "sandboxes: \(objects.sandboxes.map(\.id))")
            #expect(objects.containers.count == 1, "containers: \(objects.containers.map(\.id))")
            #expect(running?.status.containerStatuses?.first?.restartCount == 0)
            let containerID = running?.status.containerStatuses?.first?.containerID

            // 2. Killed while the pod runs: the running container is adopted, not recreated.
            try await Self.killNine(try #require(agent))
            agent = try await node.start()
            let adopted = try await Self.waitFor(try #require(agent), token: token, "survivor") {
                $0?.status.phase == .running && $0?.status.containerStatuses?.first?.containerID == containerID
            }
            #expect(adopted?.status.containerStatuses?.first?.containerID == containerID, "container replaced after restart")
            #expect(adopted?.status.containerStatuses?.first?.restartCount == 0)
            objects = try await node.runtimeObjects(uid: uid)
            #expect(objects.containers.count == 1)

            // 3. Killed in the middle of a graceful deletion: the restarted agent finishes it.
            #expect(try await agent?.curl("/pods/default/survivor", token: token, method: "DELETE").0 == 200)
            try await Task.sleep(for: .milliseconds(700))
            try await Self.killNine(try #require(agent))
            agent = try await node.start()
            let gone = try await Self.waitFor(try #require(agent), token: token, "survivor") { $0 == nil }
            #expect(gone == nil, "deletion did not resume after the restart")
            objects = try await node.runtimeObjects(uid: uid)
            #expect(objects.sandboxes.isEmpty && objects.containers.isEmpty,
                    "left behind: \(objects.sandboxes.map(\.id)) \(objects.containers.map(\.id))")
        } catch {
            await node.tearDown(agent)
            throw error
        }
        await node.tearDown(agent)
    }

    @Test func containerdKilledUnderRunningPodsComesBackWithTheRightStatuses() async throws {
        try await TestBed.ensureUp()
        let node = Node(root: "/run/swiftlet-res-\(UUID().uuidString.prefix(8).lowercased())", extraArguments: ["--pod-cidr", "10.252.10.0/24"])
        let agent = try await node.start()
        do {
            let token = try node.token
            #expect(try await Self.post(agent, token: token, Self.podJSON("steady", script: "trap 'exit 0' TERM; while true; do sleep 0.2; done")) == 201)
            #expect(try await Self.post(agent, token: token, Self.podJSON("brief", script: "sleep 5; exit 3", restartPolicy: "Never")) == 201)
            let steady = try await Self.waitFor(agent, token: token, "steady") { $0?.status.phase == .running }
            let brief = try await Self.waitFor(agent, token: token, "brief") { $0?.status.phase == .running }
            #expect(steady?.status.phase == .running && brief?.status.phase == .running, "pods never ran:\n\(agent.log)")
            let steadyID = steady?.status.containerStatuses?.first?.containerID

            // containerd dies; "brief" exits while it is down; the agent restarts containerd.
            let old = try #require(node.containerdPID)
            kill(old, SIGKILL)
            let clock = ContinuousClock()
            let deadline = clock.now + .seconds(60)
            while clock.now < deadline {
                if node.containerdPID != old, try await agent.curl("/readyz").0 == 200 { break }
                try await Task.sleep(for: .milliseconds(200))
            }
            #expect(node.containerdPID != old, "containerd was not restarted:\n\(agent.log)")

            let failed = try await Self.waitFor(agent, token: token, "brief") { $0?.status.phase == .failed }
            let terminated = failed?.status.containerStatuses?.first?.state?.terminated
            #expect(terminated?.exitCode == 3, "brief: \(String(describing: failed?.status.containerStatuses))")
            #expect(terminated?.reason == "Error")
            let still = try await Self.pod(agent, token: token, "steady")
            #expect(still?.status.phase == .running)
            #expect(still?.status.containerStatuses?.first?.containerID == steadyID, "steady's container was replaced")
            #expect(still?.status.containerStatuses?.first?.restartCount == 0)
            #expect(still?.status.containerStatuses?.first?.ready == true)
            for name in ["steady", "brief"] {
                _ = try await agent.curl("/pods/default/\(name)?gracePeriodSeconds=0", token: token, method: "DELETE")
            }
            for name in ["steady", "brief"] {
                #expect(try await Self.waitFor(agent, token: token, name) { $0 == nil } == nil)
            }
        } catch {
            await node.tearDown(agent)
            throw error
        }
        await node.tearDown(agent)
    }
}
