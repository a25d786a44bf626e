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

/// Blobs in memory whose writes take 0–3 ms, so concurrent creates finish out of order and the store publishes
/// them in batches.
private struct JitteryPersistence: ObjectPersistence {
    let memory = InMemoryPersistence()

    func write(name: String, bytes: [UInt8]) async throws {
        try await Task.sleep(for: .microseconds(Int.random(in: 0...3000)))
        try await memory.write(name: name, bytes: bytes)
    }
    func remove(name: String) async throws { try await memory.remove(name: name) }
    func read(name: String) async throws -> [UInt8]? { try await memory.read(name: name) }
    func loadAll() async throws -> PersistenceLoad { try await memory.loadAll() }
    func quarantine(name: String, reason: String) async throws -> String {
        try await memory.quarantine(name: name, reason: reason)
    }
}

@Suite struct PodServiceAdmissionTests {
    /// Creates that race each other up to exactly `maxPods` are all admitted: a pod whose store write has landed
    /// but whose create has not yet returned must be counted once, not as both stored and pending.
    @Test func concurrentCreatesUpToTheLimitAreAllAdmitted() async throws {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let limit = 60
        for round in 0..<20 {
            let store = try await ObjectStore<Pod>(directory: JitteryPersistence(), logger: logger)
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
