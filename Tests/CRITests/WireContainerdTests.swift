import CRI
import Foundation
import Testing
import TestSupport

/// The wire client against a real containerd: concurrency, large responses, deadlines, cancellation, PINGs and
/// a runtime that is killed and comes back.
@Suite("gRPC wire client against containerd")
struct WireContainerdTests {
    /// A running busybox container in a host-network sandbox of `fixture`; returns its id.
    static func runningContainer(_ client: GRPCContainerRuntime, _ fixture: PodFixture, image: String) async throws -> String {
        _ = try await client.pullImage(image, auth: nil, sandboxConfig: nil)
        let sandboxConfig = fixture.sandboxConfig(name: "wire", hostNetwork: true)
        let sandboxID = try await client.runPodSandbox(sandboxConfig, runtimeHandler: "")
        let config = fixture.containerConfig(name: "main", image: image, command: ["sleep", "600"])
        let id = try await client.createContainer(sandboxID: sandboxID, config: config, sandboxConfig: sandboxConfig)
        try await client.startContainer(id: id)
        return id
    }

    @Test("200 concurrent calls on one connection all succeed")
    func concurrentCalls() async throws {
        try await withCRIClient { client, _ in
            let failures = await withTaskGroup(of: String?.self) { group in
                for i in 0..<200 {
                    group.addTask {
                        do {
                            if i % 2 == 0 {
                                _ = try await client.version()
                            } else {
                                _ = try await client.listPodSandboxes(filter: nil)
                            }
                            return nil
                        } catch {
                            return "\(i): \(error)"
                        }
                    }
                }
                var failures: [String] = []
                for await failure in group { if let failure { failures.append(failure) } }
                return failures
            }
            #expect(failures.isEmpty, "\(failures.prefix(3))")
            #expect(client.connectionsOpened == 1)
        }
    }

    @Test("a ListContainers response larger than 64 KiB arrives whole")
    func largeResponse() async throws {
        try await withCRIClient { client, bed in
            let fixture = PodFixture()
            try await fixture.run(client) {
                _ = try await client.pullImage(bed.busyboxImage, auth: nil, sandboxConfig: nil)
                let sandboxConfig = fixture.sandboxConfig(name: "big", hostNetwork: true)
                let sandboxID = try await client.runPodSandbox(sandboxConfig, runtimeHandler: "")
                // 12 containers with 8 KiB of annotations each: about 100 KiB in one response.
                let filler = String(repeating: "a", count: 8_192)
                for i in 0..<12 {
                    var config = fixture.containerConfig(name: "c\(i)", image: bed.busyboxImage, command: ["true"])
                    config.annotations = ["filler": filler, "index": "\(i)"]
                    _ = try await client.createContainer(sandboxID: sandboxID, config: config, sandboxConfig: sandboxConfig)
                }
                var filter = Runtime_V1_ContainerFilter()
                filter.labelSelector = fixture.labels
                let containers = try await client.listContainers(filter: filter)
                var response = Runtime_V1_ListContainersResponse()
                response.containers = containers
                let encoded: [UInt8] = try response.serializedBytes()
                #expect(encoded.count > 64 * 1024)
                #expect(containers.count == 12)
                #expect(Set(containers.compactMap { $0.annotations["index"] }) == Set((0..<12).map { "\($0)" }))
                #expect(containers.allSatisfy { $0.annotations["filler"] == filler })
            }
        }
    }

    @Test("ExecSync of sleep 5 past its deadline fails with deadlineExceeded within 1.5 s; the connection stays usable")
    func execDeadline() async throws {
        // The runtime's own timeout (1 s in the request) and the client's deadline (no request timeout, 1 s).
        try await withCRIClient(timeouts: CRITimeouts(execSyncWithoutTimeout: .seconds(1))) { client, bed in
            let fixture = PodFixture()
            try await fixture.run(client) {
                let id = try await Self.runningContainer(client, fixture, image: bed.busyboxImage)
                for timeout in [Duration.seconds(1), nil] {
                    let start = ContinuousClock.now
                    let error = await #expect(throws: CRIError.self) {
                        _ = try await client.execSync(id: id, command: ["sleep", "5"], timeout: timeout)
                    }
                    let elapsed = ContinuousClock.now - start
                    #expect(error?.code == .deadlineExceeded, "\(String(describing: error))")
                    #expect(elapsed < .milliseconds(1_500), "timeout \(String(describing: timeout)): \(elapsed)")
                    #expect(try await client.execSync(id: id, command: ["true"], timeout: .seconds(5)).exitCode == 0)
                }
                #expect(client.connectionsOpened == 1)
            }
        }
    }

    @Test("cancelling the calling task ends its ExecSync with cancelled at once")
    func cancelledExec() async throws {
        try await withCRIClient { client, bed in
            let fixture = PodFixture()
            try await fixture.run(client) {
                let id = try await Self.runningContainer(client, fixture, image: bed.busyboxImage)
                let task = Task { try await client.execSync(id: id, command: ["sleep", "5"], timeout: .seconds(10)) }
                try await Task.sleep(for: .milliseconds(300))
                let start = ContinuousClock.now
                task.cancel()
                let result = await task.result
                #expect(ContinuousClock.now - start < .milliseconds(500))
                guard case .failure(let error) = result else {
                    Issue.record("the cancelled call succeeded")
                    return
                }
                #expect((error as? CRIError)?.code == .cancelled, "\(error)")
                #expect(try await client.version().runtimeName == "containerd")
            }
        }
    }

    @Test("containerd's PINGs are answered: 2,000 sequential calls on one connection with no failure")
    func pings() async throws {
        try await withCRIClient { client, _ in
            _ = try await client.version()
            let before = client.pingsAnswered
            var failures: [String] = []
            for i in 0..<2_000 {
                do { _ = try await client.version() } catch { failures.append("\(i): \(error)") }
            }
            #expect(failures.isEmpty, "\(failures.prefix(3))")
            #expect(client.pingsAnswered - before >= 200, "answered \(client.pingsAnswered - before)")
            #expect(client.connectionsOpened == 1)
        }
    }

    @Test("containerd killed: the in-flight call fails unavailable, calls fail fast while it is down, work within a second of its return")
    func killedAndRestarted() async throws {
        let testRuntime = try await TestRuntime.shared()
        let containerd = try await testRuntime.makePrivateContainerd(name: "wirekill")
        try await containerd.start()
        let client = try GRPCContainerRuntime(
            endpoint: containerd.endpoint, logger: TestRuntime.makeLogger("wire-kill"), timeouts: CRITimeouts(read: .seconds(3)))
        let fixture = PodFixture()
        do {
            let id = try await Self.runningContainer(client, fixture, image: testRuntime.busyboxImage)
            let inFlight = Task { try await client.execSync(id: id, command: ["sleep", "30"], timeout: .seconds(60)) }
            try await Task.sleep(for: .milliseconds(500))
            let pid = try #require(await containerd.processID)
            let killed = ContinuousClock.now
            kill(pid, SIGKILL)
            let result = await inFlight.result
            #expect(ContinuousClock.now - killed < .seconds(2))
            if case .failure(let error) = result {
                #expect((error as? CRIError)?.code == .unavailable, "\(error)")
                #expect((error as? CRIError)?.isAmbiguous == true)
            } else {
                Issue.record("the in-flight call survived the kill")
            }
            // The supervisor waits 1 s before starting containerd again: calls fail fast meanwhile.
            let downStart = ContinuousClock.now
            let downError = await #expect(throws: CRIError.self) { _ = try await client.version() }
            #expect(downError?.code == .unavailable)
            #expect(ContinuousClock.now - downStart < .seconds(1))

            let openedWhileDown = client.connectionsOpened
            try await containerd.waitUntilReady(timeout: .seconds(60))
            let back = ContinuousClock.now
            var recovered = false
            var failures: [String] = []
            while ContinuousClock.now - back < .seconds(1) {
                do {
                    _ = try await client.version()
                    recovered = true
                    break
                } catch {
                    failures.append("\(error)")
                }
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(recovered, "no call worked within 1 s of containerd being ready again: \(failures)")
            #expect(openedWhileDown == 1, "connections opened while containerd was down")
            #expect(client.connectionsOpened == 2, "failures after the restart: \(failures)")
        } catch {
            await fixture.cleanUp(client)
            await client.close()
            await containerd.stop()
            throw error
        }
        await fixture.cleanUp(client)
        await client.close()
        await containerd.stop()
    }
}
