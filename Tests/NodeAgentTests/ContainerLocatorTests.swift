import CRI
import Foundation
import KubeTypes
import Testing

@testable import NodeAgent

/// `RuntimeContainerLocator` against the real containerd: the instance it picks, its log path, and Kubernetes'
/// error wording.
@Suite struct ContainerLocatorTests {
    @Test func locatesRunningContainersAndWordsErrorsAsKubernetes() async throws {
        try await LifecycleBed.with("locator") { bed in
            let pod = try await bed.submit(bed.makePod("two", containers: [
                bed.shell("a", "echo a; exec sleep 3600"), bed.shell("b", "exec sleep 3600"),
            ]))
            let name = pod.metadata.name ?? ""
            let running = try await bed.waitFor(pod, "both running") { p in
                (p.status.containerStatuses ?? []).count == 2
                    && (p.status.containerStatuses ?? []).allSatisfy { $0.state?.running != nil }
            }
            let locator = RuntimeContainerLocator(store: bed.store, runtime: bed.client)
            let target = try await locator.locate(namespace: "default", pod: name, container: "a", previous: false)
            #expect(target.isRunning)
            #expect(target.containerName == "a")
            #expect(target.podUID == pod.metadata.uid)
            #expect("containerd://" + target.containerID == running.container("a")?.containerID)
            #expect(target.logPath == bed.logPath(pod, container: "a"))

            await #expect(throws: Never.self) {
                _ = try await locator.locate(namespace: "default", pod: name, container: "b", previous: false)
            }
            try await expectStatus(400, "a container name must be specified for pod \(name), choose one of: [a b]") {
                _ = try await locator.locate(namespace: "default", pod: name, container: nil, previous: false)
            }
            try await expectStatus(404, "container \"c\" not found in pod \"\(name)\"") {
                _ = try await locator.locate(namespace: "default", pod: name, container: "c", previous: false)
            }
            try await expectStatus(404, "pods \"ghost\" not found") {
                _ = try await locator.locate(namespace: "default", pod: "ghost", container: "a", previous: false)
            }
            try await expectStatus(400, "previous terminated container \"a\" in pod \"\(name)\" not found") {
                _ = try await locator.locate(namespace: "default", pod: name, container: "a", previous: true)
            }
        }
    }

    /// A pod whose stored status says ContainerCreating and that the runtime has nothing for (the engine never saw
    /// it): 400 with the reason from the status, as the API server words it.
    @Test func containerCreatingIsWaitingToStart() async throws {
        try await LifecycleBed.with("locator-wait") { bed in
            var pod = bed.makePod("waiting", containers: [bed.shell("app", "true")])
            pod.status.containerStatuses = [ContainerStatus(
                name: "app", state: ContainerState(waiting: ContainerStateWaiting(reason: "ContainerCreating")),
                ready: false, restartCount: 0, image: bed.testRuntime.busyboxImage, imageID: "")]
            let stored = try await bed.store.create(pod)
            let name = stored.metadata.name ?? ""
            let locator = RuntimeContainerLocator(store: bed.store, runtime: bed.client)
            try await expectStatus(400, "container \"app\" in pod \"\(name)\" is waiting to start: ContainerCreating") {
                _ = try await locator.locate(namespace: "default", pod: name, container: nil, previous: false)
            }
        }
    }

    private func expectStatus(_ code: Int32, _ message: String, _ body: () async throws -> Void,
                              sourceLocation: SourceLocation = #_sourceLocation) async throws {
        do {
            try await body()
            Issue.record("expected \(code) \(message)", sourceLocation: sourceLocation)
        } catch let error as APIStatusError {
            #expect(error.status.code == code, sourceLocation: sourceLocation)
            #expect(error.status.message == message, sourceLocation: sourceLocation)
        }
    }
}
