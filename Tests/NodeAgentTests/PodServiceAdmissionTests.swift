import Foundation
import KubeTypes
import Logging
import Testing
@testable import NodeAgent

/// A lifecycle that does nothing: these tests look only at what the service admits and stores.
private struct IdleLifecycle: PodLifecycle {
    func podAdded(_ pod: Pod) async {}
    func podDeletionRequested(_ pod: Pod) async {}
}

@Suite struct PodServiceAdmissionTests {
    /// Creates that race each other up to exactly `maxPods` are all admitted: a pod whose store write has landed
    /// but whose create has not yet returned must be counted once, not as both stored and pending.
    @Test func concurrentCreatesUpToTheLimitAreAllAdmitted() async throws {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let limit = 60
        for round in 0..<20 {
            // Writes of 0–3 ms: concurrent creates finish out of order and are published in batches.
            let store = try await ObjectStore<Pod>(
                directory: SlowPersistence(randomWriteDelayUpTo: .milliseconds(3)), logger: logger)
            let service = PodService(
                store: store, lifecycle: IdleLifecycle(), events: EventRecorder(nodeName: "node-a", logger: logger),
                admission: PodAdmission(resources: NodeResources(cpuMillis: 64_000, memoryBytes: 64 << 30, maxPods: limit)),
                logger: logger)
            let refusals = await withTaskGroup(of: String?.self) { group in
                for index in 0..<limit {
                    group.addTask {
                        // Staggered like requests arriving over a few connections, so later creates check the
                        // limit while earlier ones are being published.
                        try? await Task.sleep(for: .microseconds(index * 300))
                        let pod = Pod(
                            metadata: ObjectMeta(name: "p\(index)"),
                            spec: PodSpec(containers: [Container(name: "c", image: "busybox")]))
                        do {
                            _ = try await service.create(pod)
                            return nil
                        } catch {
                            return "p\(index): \(error)"
                        }
                    }
                }
                var refusals: [String] = []
                for await refusal in group { if let refusal { refusals.append(refusal) } }
                return refusals
            }
            #expect(refusals.isEmpty, "round \(round): \(refusals)")
            #expect(await store.list().items.count == limit)
            // One more is over the limit.
            await #expect(throws: APIStatusError.self) {
                _ = try await service.create(Pod(
                    metadata: ObjectMeta(name: "extra"), spec: PodSpec(containers: [Container(name: "c", image: "busybox")])))
            }
        }
    }
}
