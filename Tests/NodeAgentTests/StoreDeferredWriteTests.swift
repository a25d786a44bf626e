import Foundation
import Testing

@testable import NodeAgent

@Suite("ObjectStore: deferred writes (pod status) never overtake durable ones")
struct StoreDeferredWriteTests {
    /// Waits until every deferred write has reached the persistence, or `timeout` passes.
    private func waitForFlush(_ store: ObjectStore<Widget>, timeout: Duration = .seconds(10)) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if await store.deferredWriteCount == 0 { return true }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return false
    }

    @Test("a deferred update is published and watched at once, and reaches the disk on its own")
    func publishedThenWritten() async throws {
        try await StoreFixtures.withTemporaryDirectory { path in
            let store = try await StoreFixtures.openStore(path)
            let created = try await store.create(Widget("default", "a", size: 1))
            let watch = try await store.watch(fromResourceVersion: created.resourceVersion)
            let updated = try await store.update(created.objectKey, durability: .deferred) { $0.size = 2 }
            #expect(await store.get(created.objectKey) == updated)
            #expect(await store.currentResourceVersion == updated.resourceVersion)
            let events = await StoreFixtures.collect(watch, count: 1)
            #expect(StoreFixtures.describe(events) == ["MODIFIED default/a \(updated.resourceVersion ?? "") size=2"])
            watch.cancel()

            #expect(await waitForFlush(store))
            let reopened = try await StoreFixtures.openStore(path)
            #expect(await reopened.get(created.objectKey) == updated)
        }
    }

    @Test("updates go on while a flush is on the disk, and a burst of them costs a few writes, the newest last")
    func coalesced() async throws {
        let persistence = SlowPersistence(writeDelay: .milliseconds(50))
        let store = try await ObjectStore<Widget>(directory: persistence, logger: StoreFixtures.quietLogger)
        let created = try await store.create(Widget("default", "a"))
        let writesBefore = persistence.memory.writeCount
        var last = created
        let started = ContinuousClock.now
        for size in 1...200 {
            last = try await store.update(created.objectKey, durability: .deferred) { $0.size = size }
        }
        let burst = ContinuousClock.now - started
        // 200 updates behind 50 ms writes would take 10 s if an update waited for a flush.
        #expect(burst < .seconds(2), "200 deferred updates took \(burst)")
        #expect(await store.deferredWriteCount > 0)
        await store.flushDeferredWrites()
        #expect(await store.deferredWriteCount == 0)
        let writes = persistence.memory.writeCount - writesBefore
        #expect(writes >= 1 && writes <= 10, "writes: \(writes)")
        let reopened = try await ObjectStore<Widget>(directory: persistence.memory, logger: StoreFixtures.quietLogger)
        #expect(await reopened.get(created.objectKey) == last)
    }

    @Test("a delete right after deferred updates is never undone by their flush (100 rounds on disk)")
    func deleteWins() async throws {
        try await StoreFixtures.withTemporaryDirectory { path in
            let store = try await StoreFixtures.openStore(path)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for round in 0..<100 {
                    group.addTask {
                        let widget = try await store.create(Widget("default", "w\(round)"))
                        for size in 1...3 {
                            _ = try await store.update(widget.objectKey, durability: .deferred) { $0.size = size }
                        }
                        _ = try await store.delete(widget.objectKey)
                    }
                }
                try await group.waitForAll()
            }
            await store.flushDeferredWrites()
            // Give any stray flush task the time to run before looking at the disk.
            #expect(await waitForFlush(store))
            try await Task.sleep(for: .milliseconds(200))
            let files = try FileManager.default.contentsOfDirectory(atPath: path).filter { $0.hasSuffix(ObjectKey.fileSuffix) }
            #expect(files.isEmpty, "resurrected: \(files)")
            let reopened = try await StoreFixtures.openStore(path)
            #expect(await reopened.count == 0)
        }
    }

    @Test("a durable update after deferred ones is what the disk keeps, whatever the flush timing")
    func durableWins() async throws {
        try await StoreFixtures.withTemporaryDirectory { path in
            let store = try await StoreFixtures.openStore(path)
            var finals: [ObjectKey: Widget] = [:]
            for round in 0..<30 {
                let widget = try await store.create(Widget("default", "d\(round)"))
                _ = try await store.update(widget.objectKey, durability: .deferred) { $0.size = 1 }
                _ = try await store.update(widget.objectKey, durability: .deferred) { $0.size = 2 }
                finals[widget.objectKey] = try await store.update(widget.objectKey) { $0.labels = ["final": "yes"] }
            }
            #expect(await waitForFlush(store))
            try await Task.sleep(for: .milliseconds(200))
            let reopened = try await StoreFixtures.openStore(path)
            for (key, final) in finals {
                let stored = await reopened.get(key)
                #expect(stored == final)
                #expect(stored?.size == 2 && stored?.labels == ["final": "yes"])
            }
        }
    }
}

