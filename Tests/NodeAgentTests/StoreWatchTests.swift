import Foundation
import Testing

@testable import NodeAgent

@Suite("ObjectStore watch: initial list, resume, expiry, filters, slow consumers, cancellation, bookmarks")
struct StoreWatchTests {
    private func memoryStore(historyLimit: Int = 1000) async throws -> ObjectStore<Widget> {
        try await ObjectStore<Widget>(
            directory: InMemoryPersistence(), historyLimit: historyLimit, logger: StoreFixtures.quietLogger)
    }

    @Test("a watch from 0 (or none) starts with ADDED for every existing object, then live events")
    func fromZero() async throws {
        let store = try await memoryStore()
        let b = try await store.create(Widget("default", "b", size: 2))
        let a = try await store.create(Widget("default", "a", size: 1))
        for start in [nil, "", "0"] as [String?] {
            let watch = try await store.watch(fromResourceVersion: start)
            let initial = await StoreFixtures.collect(watch, count: 2)
            #expect(StoreFixtures.describe(initial) == [
                "ADDED default/a \(a.resourceVersion ?? "") size=1",
                "ADDED default/b \(b.resourceVersion ?? "") size=2",
            ])
            watch.cancel()
        }
        let watch = try await store.watch(fromResourceVersion: "0")
        _ = await StoreFixtures.collect(watch, count: 2)
        let c = try await store.create(Widget("default", "c", size: 3))
        let a2 = try await store.update(a.objectKey) { $0.size = 11 }
        let gone = try #require(try await store.delete(b.objectKey))
        let live = await StoreFixtures.collect(watch, count: 3)
        #expect(StoreFixtures.describe(live) == [
            "ADDED default/c \(c.resourceVersion ?? "") size=3",
            "MODIFIED default/a \(a2.resourceVersion ?? "") size=11",
            "DELETED default/b \(gone.resourceVersion ?? "") size=2",
        ])
        #expect(gone.resourceVersion != b.resourceVersion)
    }

    @Test("a watch from N replays exactly the changes after N, then continues live")
    func resume() async throws {
        let store = try await memoryStore()
        let a = try await store.create(Widget("default", "a", size: 1))
        let b = try await store.create(Widget("default", "b", size: 2))
        let c = try await store.create(Widget("default", "c", size: 3))
        let a2 = try await store.update(a.objectKey) { $0.size = 10 }
        let bGone = try #require(try await store.delete(b.objectKey))

        let watch = try await store.watch(fromResourceVersion: b.resourceVersion)
        let replay = await StoreFixtures.collect(watch, count: 3)
        #expect(StoreFixtures.describe(replay) == [
            "ADDED default/c \(c.resourceVersion ?? "") size=3",
            "MODIFIED default/a \(a2.resourceVersion ?? "") size=10",
            "DELETED default/b \(bGone.resourceVersion ?? "") size=2",
        ])
        let d = try await store.create(Widget("default", "d", size: 4))
        let live = await StoreFixtures.collect(watch, count: 1)
        #expect(StoreFixtures.describe(live) == ["ADDED default/d \(d.resourceVersion ?? "") size=4"])

        // From the current version: nothing to replay, only what comes next.
        let current = await store.currentResourceVersion
        let quiet = try await store.watch(fromResourceVersion: current)
        let e = try await store.create(Widget("default", "e", size: 5))
        let next = await StoreFixtures.collect(quiet, count: 1)
        #expect(StoreFixtures.describe(next) == ["ADDED default/e \(e.resourceVersion ?? "") size=5"])
    }

    @Test("a version older than the history window gets one expired error and the watch ends")
    func expired() async throws {
        let store = try await memoryStore(historyLimit: 3)
        let first = try await store.create(Widget("default", "w", size: 0))
        var versions: [String] = []
        for size in 1...9 {
            versions.append(try await store.update(first.objectKey) { $0.size = size }.resourceVersion ?? "")
        }
        // The window holds the last 3 changes, so the oldest resumable version is the 4th from last.
        let oldest = try #require(UInt64(versions[5]))
        let stale = try #require(UInt64(first.resourceVersion ?? ""))
        let watch = try await store.watch(fromResourceVersion: first.resourceVersion)
        let events = await StoreFixtures.collect(watch, count: 5, timeout: .seconds(2))
        #expect(StoreFixtures.describe(events) == ["ERROR too old resource version: \(stale) (\(oldest))"])
        if case let .error(failure) = events.first {
            #expect(failure == .expired(requested: stale, oldestResumable: oldest))
            #expect(failure.httpStatusCode == 410)
        }
        #expect(await store.watcherCount == 0)

        // The oldest resumable version itself still works.
        let resumable = try await store.watch(fromResourceVersion: versions[5])
        let replay = await StoreFixtures.collect(resumable, count: 3)
        #expect(replay.count == 3)
        #expect(StoreFixtures.describe(replay).allSatisfy { $0.hasPrefix("MODIFIED") })

        // A version from the future, and garbage.
        let future = try await store.watch(fromResourceVersion: "999999")
        let tooLarge = await StoreFixtures.collect(future, count: 2, timeout: .seconds(2))
        #expect(tooLarge.count == 1)
        if case let .error(failure) = tooLarge.first {
            #expect(failure == .resourceVersionTooLarge(requested: 999_999, current: UInt64(versions[8]) ?? 0))
        } else {
            Issue.record("expected an error event, got \(StoreFixtures.describe(tooLarge))")
        }
        await #expect(throws: StoreError.invalidResourceVersion("12abc")) {
            _ = try await store.watch(fromResourceVersion: "12abc")
        }
    }

    @Test("objects moving into the filter are ADDED, out of it DELETED, live and on replay")
    func filterTransitions() async throws {
        let store = try await memoryStore()
        let start = await store.currentResourceVersion
        let isWeb: @Sendable (Widget) -> Bool = { $0.labels["app"] == "web" }
        let live = try await store.watch(fromResourceVersion: start, filter: isWeb)

        let x = try await store.create(Widget("default", "x", labels: ["app": "db"], size: 1))
        let x2 = try await store.update(x.objectKey) { $0.labels["app"] = "web" }
        let x3 = try await store.update(x.objectKey) { $0.size = 2 }
        let x4 = try await store.update(x.objectKey) { $0.labels["app"] = "db" }
        _ = try await store.update(x.objectKey) { $0.size = 3 }
        _ = try await store.delete(x.objectKey)
        let y = try await store.create(Widget("default", "y", labels: ["app": "web"], size: 9))

        let expected = [
            "ADDED default/x \(x2.resourceVersion ?? "") size=1",
            "MODIFIED default/x \(x3.resourceVersion ?? "") size=2",
            // Leaving the filter: the previous content, stamped with the version of the change.
            "DELETED default/x \(x4.resourceVersion ?? "") size=2",
            "ADDED default/y \(y.resourceVersion ?? "") size=9",
        ]
        #expect(StoreFixtures.describe(await StoreFixtures.collect(live, count: 4)) == expected)
        if case let .deleted(last)? = await StoreFixtures.collect(
            try await store.watch(fromResourceVersion: x3.resourceVersion, filter: isWeb), count: 1
        ).first {
            #expect(last.labels["app"] == "web")
        } else {
            Issue.record("replay from x3 did not start with DELETED")
        }
        let replay = try await store.watch(fromResourceVersion: start, filter: isWeb)
        #expect(StoreFixtures.describe(await StoreFixtures.collect(replay, count: 4)) == expected)
    }

    @Test("a slow watcher overflows and is dropped with tooSlow; writers and a fast watcher are unaffected")
    func slowWatcher() async throws {
        try await StoreFixtures.withTemporaryDirectory { path in
            let store = try await StoreFixtures.openStore(path)
            let start = await store.currentResourceVersion
            let slow = try await store.watch(fromResourceVersion: start, bufferLimit: 2)
            let fast = try await store.watch(fromResourceVersion: start, bufferLimit: 2)
            let writes = 100
            let fastReader = Task { await StoreFixtures.collect(fast, count: writes, timeout: .seconds(30)) }

            let first = try await store.create(Widget("default", "hot", size: 0))
            var last = first
            for size in 1..<writes {
                last = try await store.update(first.objectKey) { $0.size = size }
            }
            let fastEvents = await fastReader.value
            #expect(fastEvents.count == writes)
            #expect(StoreFixtures.describe(fastEvents).last == "MODIFIED default/hot \(last.resourceVersion ?? "") size=99")
            let sizes = fastEvents.compactMap { event -> Int? in
                if case let .modified(widget) = event { return widget.size }
                if case let .added(widget) = event { return widget.size }
                return nil
            }
            #expect(sizes == Array(0..<writes))

            // The slow watcher never read while 100 writes went through. It gets its 2 buffered events, then the
            // error, then the end.
            let slowEvents = await StoreFixtures.collect(slow, count: 10, timeout: .seconds(2))
            #expect(StoreFixtures.describe(slowEvents) == [
                "ADDED default/hot \(first.resourceVersion ?? "") size=0",
                "MODIFIED default/hot \((UInt64(first.resourceVersion ?? "") ?? 0) + 1) size=1",
                "ERROR watch closed: the client fell more than 2 events behind",
            ])
            #expect(await StoreFixtures.eventually { await store.watcherCount == 1 })
        }
    }

    @Test("cancelling, task cancellation and dropping the watch all unregister the watcher")
    func cancellation() async throws {
        let store = try await memoryStore()
        let explicit = try await store.watch(fromResourceVersion: nil)
        #expect(await store.watcherCount == 1)
        explicit.cancel()
        #expect(await StoreFixtures.eventually { await store.watcherCount == 0 })
        // A cancelled watch yields nothing more, even with changes.
        _ = try await store.create(Widget("default", "after-cancel"))
        var iterator = explicit.makeAsyncIterator()
        #expect(await iterator.next() == nil)

        let consumed = try await store.watch(fromResourceVersion: await store.currentResourceVersion)
        let consumer = Task { () -> Int in
            var seen = 0
            for await _ in consumed { seen += 1 }
            return seen
        }
        #expect(await StoreFixtures.eventually { await store.watcherCount == 1 })
        try await Task.sleep(for: .milliseconds(50))
        consumer.cancel()
        #expect(await consumer.value == 0)
        #expect(await StoreFixtures.eventually { await store.watcherCount == 0 })

        do {
            let dropped = try await store.watch(fromResourceVersion: nil)
            _ = dropped
            #expect(await store.watcherCount == 1)
        }
        #expect(await StoreFixtures.eventually { await store.watcherCount == 0 })

        // Unregistered watchers cost writers nothing: a write still succeeds and nobody is left registered.
        _ = try await store.create(Widget("default", "later"))
        #expect(await store.watcherCount == 0)
    }

    @Test("bookmarks arrive periodically with the current version")
    func bookmarks() async throws {
        let store = try await memoryStore()
        let a = try await store.create(Widget("default", "a"))
        let watch = try await store.watch(
            fromResourceVersion: a.resourceVersion, bookmarkInterval: .milliseconds(50))
        let first = await StoreFixtures.collect(watch, count: 1, timeout: .seconds(5))
        #expect(StoreFixtures.describe(first) == ["BOOKMARK \(a.resourceVersion ?? "")"])
        let b = try await store.create(Widget("default", "b"))
        // The ADDED comes first; a later bookmark carries b's version.
        var sawAdded = false
        var bookmarked: String?
        for event in await StoreFixtures.collect(watch, count: 4, timeout: .seconds(5)) {
            switch event {
            case let .added(widget) where widget == b: sawAdded = true
            case let .bookmark(version) where sawAdded: bookmarked = version
            default: break
            }
        }
        #expect(sawAdded)
        #expect(bookmarked == b.resourceVersion)
        watch.cancel()
        #expect(await StoreFixtures.eventually { await store.watcherCount == 0 })
    }

    @Test("finishAllWatches ends every watch after what is queued")
    func finishAll() async throws {
        let store = try await memoryStore()
        let watch = try await store.watch(fromResourceVersion: nil)
        let a = try await store.create(Widget("default", "a"))
        await store.finishAllWatches()
        let events = await StoreFixtures.collect(watch, count: 5, timeout: .seconds(2))
        #expect(StoreFixtures.describe(events) == ["ADDED default/a \(a.resourceVersion ?? "") size=0"])
        #expect(await store.watcherCount == 0)
    }
}
