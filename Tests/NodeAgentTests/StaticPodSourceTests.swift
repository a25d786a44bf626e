import Foundation
import KubeTypes
import Logging
import Testing
@testable import NodeAgent

/// A lifecycle that finishes deletions at once, so these tests see the store exactly as the source leaves it.
private final class ImmediateLifecycle: PodLifecycle, @unchecked Sendable {
    private let lock = NSLock()
    private var storeRef: ObjectStore<Pod>?
    var store: ObjectStore<Pod>? {
        get { lock.withLock { storeRef } }
        set { lock.withLock { storeRef = newValue } }
    }

    func podAdded(_ pod: Pod) async {}

    func podDeletionRequested(_ pod: Pod) async {
        _ = try? await store?.delete(pod.objectKey)
    }
}

/// The manifest directory source: naming, identity, add/change/remove, bad files, and the API's refusals.
@Suite struct StaticPodSourceTests {
    struct Fixture {
        let directory: String
        let store: ObjectStore<Pod>
        let service: PodService
        let source: StaticPodSource

        static func make(cpuMillis: Int64 = 4000) async throws -> Fixture {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("swiftlet-static-\(UUID().uuidString.prefix(8))").path
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            var logger = Logger(label: "test")
            logger.logLevel = .critical
            let store = try await ObjectStore<Pod>(directory: InMemoryPersistence(), logger: logger)
            let lifecycle = ImmediateLifecycle()
            lifecycle.store = store
            let service = PodService(
                store: store, lifecycle: lifecycle, events: EventRecorder(nodeName: "node-a", logger: logger),
                admission: PodAdmission(resources: NodeResources(cpuMillis: cpuMillis, memoryBytes: 8 << 30, maxPods: 110)),
                logger: logger)
            let source = StaticPodSource(directory: directory, nodeName: "node-a", pods: service, checkPeriod: .seconds(3600), logger: logger)
            return Fixture(directory: directory, store: store, service: service, source: source)
        }

        func write(_ name: String, _ text: String) throws {
            // Written beside and renamed in, as editors and config tools do, so a scan never sees half a file.
            let temporary = directory + "/." + name + ".tmp"
            try text.write(toFile: temporary, atomically: false, encoding: .utf8)
            #expect(rename(temporary, directory + "/" + name) == 0)
        }

        func remove(_ name: String) throws {
            try FileManager.default.removeItem(atPath: directory + "/" + name)
        }

        func pods() async -> [String: Pod] {
            var result: [String: Pod] = [:]
            for pod in await store.list().items { result["\(pod.metadata.namespace ?? "")/\(pod.metadata.name ?? "")"] = pod }
            return result
        }

        func cleanUp() {
            try? FileManager.default.removeItem(atPath: directory)
        }
    }

    static func manifest(_ name: String, namespace: String? = nil, label: String = "v1", cpu: String = "100m") -> String {
        var text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: \(name)\n"
        if let namespace { text += "  namespace: \(namespace)\n" }
        text += "  labels:\n    version: \(label)\nspec:\n  containers:\n  - name: app\n    image: busybox:1.35\n"
        text += "    resources:\n      requests:\n        cpu: \(cpu)\n"
        return text
    }

    @Test func filesBecomePodsNamedAfterTheNode() async throws {
        let fixture = try await Fixture.make()
        defer { fixture.cleanUp() }
        try fixture.write("web.yaml", Self.manifest("web"))
        try fixture.write("db.json", #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"db","namespace":"data"},"spec":{"containers":[{"name":"db","image":"busybox:1.35"}]}}"#)
        try fixture.write(".hidden.yaml", Self.manifest("hidden"))
        await fixture.source.syncOnce()

        let pods = await fixture.pods()
        #expect(Set(pods.keys) == ["default/web-node-a", "data/db-node-a"])
        let web = try #require(pods["default/web-node-a"])
        #expect(web.spec.nodeName == "node-a")
        #expect(web.metadata.annotations?["kubernetes.io/config.source"] == "file")
        #expect(web.metadata.annotations?["swiftlet.io/static-pod-manifest"] == fixture.directory + "/web.yaml")
        #expect(web.metadata.annotations?["kubernetes.io/config.hash"] == web.metadata.uid)
        #expect(web.metadata.uid?.count == 32)
        // Defaulted as any API pod is.
        #expect(web.spec.restartPolicy == .always)
        #expect(web.spec.containers.first?.imagePullPolicy == .ifNotPresent)

        // An unchanged directory changes nothing: same uid, no new resource version.
        let version = web.metadata.resourceVersion
        await fixture.source.syncOnce()
        let again = try #require(await fixture.pods()["default/web-node-a"])
        #expect(again.metadata.uid == web.metadata.uid)
        #expect(again.metadata.resourceVersion == version)
    }

    @Test func aChangedFileReplacesThePodAndARemovedFileDeletesIt() async throws {
        let fixture = try await Fixture.make()
        defer { fixture.cleanUp() }
        try fixture.write("web.yaml", Self.manifest("web", label: "v1"))
        await fixture.source.syncOnce()
        let first = try #require(await fixture.pods()["default/web-node-a"])

        try fixture.write("web.yaml", Self.manifest("web", label: "v2"))
        await fixture.source.syncOnce()  // deletes the old pod (this lifecycle finishes at once)...
        await fixture.source.syncOnce()  // ...and the next scan creates the new one.
        let second = try #require(await fixture.pods()["default/web-node-a"])
        #expect(second.metadata.uid != first.metadata.uid)
        #expect(second.metadata.labels?["version"] == "v2")

        try fixture.remove("web.yaml")
        await fixture.source.syncOnce()
        #expect(await fixture.pods().isEmpty)
    }

    @Test func anInvalidEditKeepsTheLastGoodPodAndABadNewFileIsSkipped() async throws {
        let fixture = try await Fixture.make()
        defer { fixture.cleanUp() }
        try fixture.write("web.yaml", Self.manifest("web"))
        await fixture.source.syncOnce()
        let good = try #require(await fixture.pods()["default/web-node-a"])

        try fixture.write("web.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers: [{name: app}]\n")
        try fixture.write("broken.yaml", "metadata: [this is: not a pod\n")
        try fixture.write("nameless.yaml", "apiVersion: v1\nkind: Pod\nspec:\n  containers: [{name: a, image: busybox}]\n")
        await fixture.source.syncOnce()
        let pods = await fixture.pods()
        #expect(Set(pods.keys) == ["default/web-node-a"])
        #expect(pods["default/web-node-a"]?.metadata.uid == good.metadata.uid)
    }

    @Test func twoFilesNamingOnePodRunItOnce() async throws {
        let fixture = try await Fixture.make()
        defer { fixture.cleanUp() }
        try fixture.write("a.yaml", Self.manifest("web", label: "from-a"))
        try fixture.write("b.yaml", Self.manifest("web", label: "from-b"))
        await fixture.source.syncOnce()
        let pods = await fixture.pods()
        #expect(pods.count == 1)
        #expect(pods["default/web-node-a"]?.metadata.labels?["version"] == "from-a")
    }

    @Test func theAPICannotDeleteOrForgeStaticPods() async throws {
        let fixture = try await Fixture.make()
        defer { fixture.cleanUp() }
        try fixture.write("web.yaml", Self.manifest("web"))
        await fixture.source.syncOnce()

        let key = ObjectKey(namespace: "default", name: "web-node-a")
        do {
            _ = try await fixture.service.delete(key, gracePeriodSeconds: 0)
            Issue.record("deleting a static pod through the API succeeded")
        } catch let error as APIStatusError {
            #expect(error.status.code == 403)
            #expect(error.status.reason == "Forbidden")
            #expect(error.status.message?.contains(fixture.directory + "/web.yaml") == true, "\(error.status.message ?? "")")
        }
        #expect(await fixture.pods()["default/web-node-a"]?.metadata.deletionTimestamp == nil)

        var forged = try KubeYAML.decode(Pod.self, from: Self.manifest("forged"))
        forged.metadata.annotations = ["kubernetes.io/config.source": "file"]
        do {
            _ = try await fixture.service.create(forged)
            Issue.record("a pod claiming to be static was accepted through the API")
        } catch let error as APIStatusError {
            #expect(error.status.code == 422)
            #expect(error.status.details?.causes?.first?.field == "metadata.annotations[kubernetes.io/config.source]")
        }
    }

    @Test func aStaticPodThatDoesNotFitIsRetriedOnLaterScans() async throws {
        let fixture = try await Fixture.make(cpuMillis: 1000)
        defer { fixture.cleanUp() }
        try fixture.write("big.yaml", Self.manifest("big", cpu: "2"))
        try fixture.write("small.yaml", Self.manifest("small", cpu: "100m"))
        await fixture.source.syncOnce()
        #expect(Set(await fixture.pods().keys) == ["default/small-node-a"])
        try fixture.write("big.yaml", Self.manifest("big", cpu: "500m"))
        await fixture.source.syncOnce()
        #expect(Set(await fixture.pods().keys) == ["default/small-node-a", "default/big-node-a"])
    }
}
