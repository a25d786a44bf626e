import Foundation
import KubeTypes
import Testing

@testable import NodeAgent

@Suite("ObjectStore<Pod>: the Pod conformance")
struct StorePodTests {
    static func samplePod(name: String, namespace: String? = "default", app: String = "web") throws -> Pod {
        let namespaceMember = namespace.map { "\"namespace\":\"\($0)\"," } ?? ""
        let json = """
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"\(name)",\(namespaceMember)
            "uid":"\(UUID().uuidString.lowercased())","labels":{"app":"\(app)","tier":"frontend"},
            "annotations":{"example.com/note":"kept as given"}},
            "spec":{"restartPolicy":"Always","terminationGracePeriodSeconds":30,"dnsPolicy":"ClusterFirst",
            "containers":[{"name":"main","image":"registry.local/busybox:1.36","command":["sh","-c","sleep 3600"],
            "ports":[{"containerPort":8080,"protocol":"TCP"}],
            "env":[{"name":"MODE","value":"prod"}],
            "resources":{"requests":{"cpu":"100m","memory":"64Mi"},"limits":{"memory":"128Mi"}},
            "imagePullPolicy":"IfNotPresent","terminationMessagePath":"/dev/termination-log",
            "terminationMessagePolicy":"File"}]},
            "status":{"phase":"Pending","qosClass":"Burstable"}}
            """
        return try KubeJSON.decode(Pod.self, from: Array(json.utf8))
    }

    @Test("pods round-trip through the store and a reopen, byte for byte with KubeJSON")
    func podsPersist() async throws {
        try await StoreFixtures.withTemporaryDirectory { path in
            let logger = StoreFixtures.quietLogger
            var created: Pod
            do {
                let store = try await ObjectStore<Pod>(
                    directory: try DurableDirectory(path: path, logger: logger), logger: logger)
                created = try await store.create(try Self.samplePod(name: "web-0"))
                #expect(created.metadata.resourceVersion != nil)
                #expect(await store.getEncoded(created.objectKey) == (try KubeJSON.encode(created)))
                created = try await store.update(created.objectKey) { $0.status.phase = .running }
            }
            let reopened = try await ObjectStore<Pod>(
                directory: try DurableDirectory(path: path, logger: logger), logger: logger)
            #expect(reopened.loadProblems.isEmpty)
            let loaded = try #require(await reopened.get(ObjectKey(namespace: "default", name: "web-0")))
            #expect(loaded == created)
            #expect(loaded.status.phase == .running)
        }
    }

    @Test("a pod without a namespace is keyed under default; labels and uid come from metadata")
    func identity() throws {
        let pod = try Self.samplePod(name: "x", namespace: nil, app: "db")
        #expect(pod.objectKey == ObjectKey(namespace: "default", name: "x"))
        #expect(pod.labels["app"] == "db")
        #expect(pod.uid == pod.metadata.uid)
        var versioned = pod
        versioned.resourceVersion = "42"
        #expect(versioned.metadata.resourceVersion == "42")
    }

    @Test("a pod file with an unknown field is quarantined, not half-loaded")
    func strictLoad() async throws {
        let memory = InMemoryPersistence(files: [
            "default_bad.json": Array(#"{"metadata":{"name":"bad","resourceVersion":"3"},"spek":{}}"#.utf8)
        ])
        let store = try await ObjectStore<Pod>(directory: memory, logger: StoreFixtures.quietLogger)
        #expect(await store.count == 0)
        #expect(store.loadProblems.map(\.name) == ["default_bad.json"])
        #expect(memory.quarantineReasons["default_bad.json"]?.contains("spek") == true)
    }
}
