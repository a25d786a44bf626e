import Foundation
import KubeTypes
import Logging
import Testing

@testable import NodeAgent

/// Ad hoc measurements, run only with SWIFTLET_STORE_BENCH=1 (they take time and print numbers).
@Suite(
    "ObjectStore measurements",
    .enabled(if: ProcessInfo.processInfo.environment["SWIFTLET_STORE_BENCH"] != nil))
struct StoreBenchmarkTests {
    private func createRate(groupCommit: Bool, total: Int, concurrency: Int, ioThreads: Int) async throws -> (Double, UInt64) {
        try await StoreFixtures.withTemporaryDirectory { path in
            let directory = try DurableDirectory(
                path: path, groupCommit: groupCommit, ioThreads: ioThreads, logger: StoreFixtures.quietLogger)
            let store = try await ObjectStore<Widget>(directory: directory, logger: StoreFixtures.quietLogger)
            let syncsBefore = directory.directorySyncCount
            let clock = ContinuousClock()
            let started = clock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                for worker in 0..<concurrency {
                    group.addTask {
                        var index = worker
                        while index < total {
                            _ = try await store.create(Widget("default", "w\(index)", size: index))
                            index += concurrency
                        }
                    }
                }
                try await group.waitForAll()
            }
            let elapsed = clock.now - started
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            #expect(await store.count == total)
            return (Double(total) / seconds, directory.directorySyncCount - syncsBefore)
        }
    }

    @Test("creates per second, with and without group commit")
    func createThroughput() async throws {
        for (concurrency, ioThreads) in [(1, 4), (32, 4), (32, 16)] {
            for groupCommit in [false, true] {
                let total = concurrency == 1 ? 200 : 1000
                let (rate, syncs) = try await createRate(
                    groupCommit: groupCommit, total: total, concurrency: concurrency, ioThreads: ioThreads)
                print(
                    "STORE-BENCH creates concurrency=\(concurrency) ioThreads=\(ioThreads) groupCommit=\(groupCommit): "
                        + "\(Int(rate)) creates/s, \(syncs) directory fsyncs for \(total) creates")
                #expect(rate > 0)
            }
        }
    }

    @Test("list of 110 pods from the cache")
    func list110Pods() async throws {
        let store = try await ObjectStore<Pod>(directory: InMemoryPersistence(), logger: StoreFixtures.quietLogger)
        for index in 0..<110 {
            _ = try await store.create(try StorePodTests.samplePod(name: "pod-\(index)"))
        }
        let clock = ContinuousClock()
        func median(_ body: () async -> Int) async -> (Double, Int) {
            var samples: [Duration] = []
            var size = 0
            for _ in 0..<2000 {
                let started = clock.now
                size = await body()
                samples.append(clock.now - started)
            }
            samples.sort()
            let middle = samples[samples.count / 2]
            return (Double(middle.components.attoseconds) / 1e12 + Double(middle.components.seconds) * 1e6, size)
        }
        let (encodedMicros, bytes) = await median {
            let list = await store.listEncoded()
            return list.items.reduce(0) { $0 + $1.count }
        }
        let (joinedMicros, joinedBytes) = await median { await store.listEncodedJoined().json.count }
        let (objectsMicros, count) = await median { await store.list().items.count }
        let (filteredMicros, _) = await median {
            await store.listEncoded(where: { $0.labels["app"] == "web" }).items.count
        }
        print(
            "STORE-BENCH list 110 pods: joined \(String(format: "%.1f", joinedMicros)) µs (\(joinedBytes) bytes), "
                + "encoded \(String(format: "%.1f", encodedMicros)) µs (\(bytes) bytes), "
                + "objects \(String(format: "%.1f", objectsMicros)) µs, encoded+label filter "
                + "\(String(format: "%.1f", filteredMicros)) µs (median of 2000)")
        #expect(count == 110)
    }
}
