import CRI
import Testing

@testable import NodeAgent

@Suite("Relist listing cache")
struct RuntimeListingCacheTests {
    static func sandbox(_ id: String, uid: String?) -> Runtime_V1_PodSandbox {
        var sandbox = Runtime_V1_PodSandbox()
        sandbox.id = id
        sandbox.state = .sandboxReady
        if let uid { sandbox.labels = [RuntimeLabels.podUID: uid] }
        return sandbox
    }

    static func container(_ id: String, uid: String?) -> Runtime_V1_Container {
        var container = Runtime_V1_Container()
        container.id = id
        container.state = .containerRunning
        if let uid { container.labels = [RuntimeLabels.podUID: uid] }
        return container
    }

    @Test("objects are grouped by the pod-uid label; unlabelled objects belong to no pod; an unlisted pod has none")
    func grouping() throws {
        let cache = RuntimeListingCache(maxAge: .seconds(10))
        let before = ContinuousClock.now
        let listed = before + .milliseconds(1)
        cache.record(startedAt: listed, pods: RuntimeListingCache.group(
            sandboxes: [Self.sandbox("s1", uid: "a"), Self.sandbox("s2", uid: "b"), Self.sandbox("s3", uid: nil)],
            containers: [Self.container("c1", uid: "a"), Self.container("c2", uid: "a"), Self.container("c3", uid: nil)]))
        let a = try #require(cache.objects(of: "a", listedAfter: before, now: listed))
        #expect(a.sandboxes.map(\.id) == ["s1"])
        #expect(a.containers.map(\.id) == ["c1", "c2"])
        let b = try #require(cache.objects(of: "b", listedAfter: before, now: listed))
        #expect(b.sandboxes.map(\.id) == ["s2"] && b.containers.isEmpty)
        let gone = try #require(cache.objects(of: "gone", listedAfter: before, now: listed))
        #expect(gone.sandboxes.isEmpty && gone.containers.isEmpty)
    }

    @Test("a listing is handed out only when it began after the worker's last sync and is not too old")
    func freshnessRules() {
        let cache = RuntimeListingCache(maxAge: .seconds(2))
        let start = ContinuousClock.now
        #expect(cache.objects(of: "a", listedAfter: start, now: start) == nil, "nothing recorded yet")
        cache.record(startedAt: start, pods: RuntimeListingCache.group(sandboxes: [Self.sandbox("s1", uid: "a")], containers: []))
        // Began at the instant the sync ended, or before it: the sync's own actions may be missing.
        #expect(cache.objects(of: "a", listedAfter: start, now: start) == nil)
        #expect(cache.objects(of: "a", listedAfter: start + .milliseconds(5), now: start + .milliseconds(10)) == nil)
        #expect(cache.objects(of: "a", listedAfter: start - .milliseconds(1), now: start + .seconds(2)) != nil)
        #expect(cache.objects(of: "a", listedAfter: start - .milliseconds(1), now: start + .milliseconds(2001)) == nil,
                "older than maxAge")
    }

    @Test("an older listing never replaces a newer one")
    func ordering() throws {
        let cache = RuntimeListingCache(maxAge: .seconds(10))
        let start = ContinuousClock.now
        cache.record(startedAt: start + .milliseconds(20), pods: RuntimeListingCache.group(sandboxes: [Self.sandbox("new", uid: "a")], containers: []))
        cache.record(startedAt: start + .milliseconds(10), pods: RuntimeListingCache.group(sandboxes: [Self.sandbox("old", uid: "a")], containers: []))
        let objects = try #require(cache.objects(of: "a", listedAfter: start, now: start + .milliseconds(30)))
        #expect(objects.sandboxes.map(\.id) == ["new"])
    }
}
