import EventHTTP
import Foundation
import KubeTypes
import Logging
import NodeAPI
import NodeAgent
import Testing

/// A lifecycle double for API tests: records what it was told and, like a node whose pods have no containers,
/// removes a pod from the store as soon as its deletion is requested.
final class RecordingLifecycle: PodLifecycle, @unchecked Sendable {
    private let lock = NSLock()
    private var added: [String] = []
    private var deleting: [String] = []
    var store: ObjectStore<Pod>?

    func podAdded(_ pod: Pod) async {
        lock.withLock { added.append(pod.metadata.name ?? "") }
    }

    func podDeletionRequested(_ pod: Pod) async {
        lock.withLock { deleting.append(pod.metadata.name ?? "") }
        let key = ObjectKey(namespace: pod.metadata.namespace ?? "default", name: pod.metadata.name ?? "")
        _ = try? await store?.delete(key)
    }

    var addedNames: [String] { lock.withLock { added } }
    var deletedNames: [String] { lock.withLock { deleting } }
}

/// A node serving the pod routes over real TLS, with a store in a temporary directory.
struct PodAPIFixture {
    let node: TestNode
    let store: ObjectStore<Pod>
    let lifecycle: RecordingLifecycle
    let directory: String

    static func make(maxPods: Int = 110, historyLimit: Int = 1000, cpuMillis: Int64 = 4000, memoryBytes: Int64 = 8 << 30) async throws -> PodAPIFixture {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("swiftlet-pods-\(UUID().uuidString.prefix(8))").path
        let logger = Logger(label: "test")
        let store = try await ObjectStore<Pod>(directory: try DurableDirectory(path: directory, logger: logger), historyLimit: historyLimit, logger: logger)
        let lifecycle = RecordingLifecycle()
        lifecycle.store = store
        let events = EventRecorder(nodeName: "test-node", logger: logger)
        let service = PodService(
            store: store, lifecycle: lifecycle, events: events,
            admission: PodAdmission(resources: NodeResources(cpuMillis: cpuMillis, memoryBytes: memoryBytes, maxPods: maxPods)),
            logger: logger)
        let node = try TestNode(routes: NodeRoutes.all(NodeServices(readiness: [], pods: service)))
        return PodAPIFixture(node: node, store: store, lifecycle: lifecycle, directory: directory)
    }

    func stop() async {
        await node.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Sends `body` with curl as the admin.
    func send(_ method: String, _ path: String, body: String? = nil, contentType: String = "application/json") async throws -> TestNode.Reply {
        var extra: [String] = []
        if let body {
            extra += ["-H", "Content-Type: \(contentType)", "--data-binary", body]
        }
        return try await node.curl(method, path, credential: .token("token-admin"), extra: extra)
    }
}

func withPodAPI(maxPods: Int = 110, historyLimit: Int = 1000, _ body: (PodAPIFixture) async throws -> Void) async throws {
    let fixture = try await PodAPIFixture.make(maxPods: maxPods, historyLimit: historyLimit)
    do {
        try await body(fixture)
        await fixture.stop()
    } catch {
        await fixture.stop()
        throw error
    }
}

func json(_ text: String) throws -> JSONValue {
    try KubeJSON.parse(Array(text.utf8))
}

@Suite struct PodRoutesTests {
    static let webPod = #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web","labels":{"app":"web","tier":"front"}},"spec":{"containers":[{"name":"app","image":"127.0.0.1:5000/busybox:1.35","command":["sleep","3600"]}]}}"#

    @Test func createReturns201WithDefaultsAndStoresDurably() async throws {
        try await withPodAPI { api in
            let reply = try await api.send("POST", "/pods", body: Self.webPod)
            #expect(reply.status == 201, "\(reply.body)")
            let pod = try KubeJSON.decode(Pod.self, from: Array(reply.body.utf8))
            #expect(pod.metadata.namespace == "default")
            #expect(pod.metadata.uid?.isEmpty == false)
            #expect(pod.metadata.resourceVersion?.isEmpty == false)
            #expect(pod.metadata.creationTimestamp != nil)
            #expect(pod.spec.restartPolicy == "Always")
            #expect(pod.spec.terminationGracePeriodSeconds == 30)
            #expect(pod.spec.containers.first?.imagePullPolicy == "IfNotPresent")
            #expect(pod.spec.containers.first?.terminationMessagePath == "/dev/termination-log")
            #expect(api.lifecycle.addedNames == ["web"])
            // On disk before the 201: a fresh store over the same directory sees it.
            let reopened = try await ObjectStore<Pod>(directory: try DurableDirectory(path: api.directory, logger: Logger(label: "t")), logger: Logger(label: "t"))
            #expect(await reopened.get(ObjectKey(namespace: "default", name: "web"))?.metadata.uid == pod.metadata.uid)
        }
    }

    @Test func yamlBodiesAreAccepted() async throws {
        try await withPodAPI { api in
            let yaml = """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: from-yaml
                  namespace: team-a
                spec:
                  restartPolicy: Never
                  containers:
                    - name: app
                      image: busybox
                      args: ["echo", "hi"]
                """
            let reply = try await api.send("POST", "/pods", body: yaml, contentType: "application/yaml")
            #expect(reply.status == 201, "\(reply.body)")
            #expect(try json(reply.body)["metadata"]?["namespace"] == .string("team-a"))
            // No tag means :latest, which defaults imagePullPolicy to Always.
            #expect(try json(reply.body)["spec"]?["containers"].flatMap { if case let .array(a) = $0 { return a.first } else { return nil } }?["imagePullPolicy"] == .string("Always"))
        }
    }

    @Test func duplicateNameIs409AndConcurrentCreatesHaveOneWinner() async throws {
        try await withPodAPI { api in
            #expect(try await api.send("POST", "/pods", body: Self.webPod).status == 201)
            let again = try await api.send("POST", "/pods", body: Self.webPod)
            #expect(again.status == 409)
            #expect(again.body.contains("\"reason\":\"AlreadyExists\""))
            #expect(again.body.contains(#"pods \"web\" already exists"#))

            let racer = Self.webPod.replacingOccurrences(of: "\"name\":\"web\"", with: "\"name\":\"race\"")
            let codes = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<8 { group.addTask { try await api.send("POST", "/pods", body: racer).status } }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(codes.filter { $0 == 201 }.count == 1, "\(codes)")
            #expect(codes.filter { $0 == 409 }.count == 7, "\(codes)")
        }
    }

    @Test func invalidPodsGet422WithEveryCause() async throws {
        try await withPodAPI { api in
            let bad = #"{"metadata":{"name":"Bad_Name"},"spec":{"containers":[{"name":"a","image":""},{"name":"a","image":"x","ports":[{"containerPort":70000}]}]}}"#
            let reply = try await api.send("POST", "/pods", body: bad)
            #expect(reply.status == 422, "\(reply.body)")
            #expect(reply.body.contains("\"reason\":\"Invalid\""))
            for field in ["metadata.name", "spec.containers[0].image", "spec.containers[1].name", "spec.containers[1].ports[0].containerPort"] {
                #expect(reply.body.contains("\"field\":\"\(field)\""), "missing cause for \(field): \(reply.body)")
            }
        }
    }

    @Test func malformedAndUnknownFieldsGet400() async throws {
        try await withPodAPI { api in
            let broken = try await api.send("POST", "/pods", body: "{\"metadata\": {\"name\": \"x\"},\n \"spec\": [}")
            #expect(broken.status == 400)
            #expect(broken.body.contains("line 2"), "\(broken.body)")
            let unknown = try await api.send("POST", "/pods", body: #"{"metadata":{"name":"x"},"spec":{"containers":[{"name":"a","image":"b","imagePullPolcy":"Always"}]}}"#)
            #expect(unknown.status == 400)
            #expect(unknown.body.contains("spec.containers[0].imagePullPolcy"), "\(unknown.body)")
            let wrongType = try await api.send("POST", "/pods", body: "hello", contentType: "text/plain")
            #expect(wrongType.status == 415, "\(wrongType.body)")
        }
    }

    @Test func generateNameMakesUniqueNames() async throws {
        try await withPodAPI { api in
            let body = #"{"metadata":{"generateName":"job-"},"spec":{"containers":[{"name":"a","image":"busybox:1.35"}]}}"#
            let first = try json(try await api.send("POST", "/pods", body: body).body)
            let second = try json(try await api.send("POST", "/pods", body: body).body)
            guard case let .string(a)? = first["metadata"]?["name"], case let .string(b)? = second["metadata"]?["name"] else {
                Issue.record("no generated names")
                return
            }
            #expect(a.hasPrefix("job-") && a.count == 9)
            #expect(b.hasPrefix("job-") && a != b)
        }
    }

    @Test func listFiltersByNamespaceAndSelectors() async throws {
        try await withPodAPI { api in
            for (name, namespace, app) in [("a", "default", "web"), ("b", "default", "db"), ("c", "other", "web")] {
                let body = #"{"metadata":{"name":"\#(name)","namespace":"\#(namespace)","labels":{"app":"\#(app)"}},"spec":{"restartPolicy":"Never","containers":[{"name":"x","image":"busybox:1.35"}]}}"#
                let created = try await api.send("POST", "/pods", body: body)
                #expect(created.status == 201)
            }
            func names(_ path: String) async throws -> [String] {
                let reply = try await api.send("GET", path)
                #expect(reply.status == 200, "\(path): \(reply.body)")
                let list = try KubeJSON.decode(PodList.self, from: Array(reply.body.utf8))
                #expect(list.kind == "PodList")
                #expect(list.metadata.resourceVersion?.isEmpty == false)
                return list.items.compactMap(\.metadata.name).sorted()
            }
            do { let found = try await names("/pods"); #expect(found == ["a", "b", "c"]) }
            do { let found = try await names("/pods/default"); #expect(found == ["a", "b"]) }
            do { let found = try await names("/pods?namespace=other"); #expect(found == ["c"]) }
            do { let found = try await names("/pods?labelSelector=app%3Dweb"); #expect(found == ["a", "c"]) }
            do { let found = try await names("/pods?labelSelector=app%20in%20(db,cache)"); #expect(found == ["b"]) }
            do { let found = try await names("/pods?labelSelector=app!%3Dweb"); #expect(found == ["b"]) }
            do { let found = try await names("/pods?fieldSelector=metadata.name%3Db"); #expect(found == ["b"]) }
            do { let found = try await names("/pods?fieldSelector=spec.restartPolicy%3DNever,metadata.namespace%3Dother"); #expect(found == ["c"]) }
            let badLabels = try await api.send("GET", "/pods?labelSelector=app%20in%20(")
            #expect(badLabels.status == 400)
            let badFields = try await api.send("GET", "/pods?fieldSelector=spec.nonsense%3D1")
            #expect(badFields.status == 400)
        }
    }

    @Test func getAndDelete() async throws {
        try await withPodAPI { api in
            #expect(try await api.send("GET", "/pods/default/web").status == 404)
            #expect(try await api.send("POST", "/pods", body: Self.webPod).status == 201)
            let got = try await api.send("GET", "/pods/default/web")
            #expect(got.status == 200)
            #expect(try json(got.body)["metadata"]?["name"] == .string("web"))

            let deleted = try await api.send("DELETE", "/pods/default/web?gracePeriodSeconds=5")
            #expect(deleted.status == 200, "\(deleted.body)")
            #expect(try json(deleted.body)["metadata"]?["deletionGracePeriodSeconds"] == .int(5))
            #expect(try json(deleted.body)["metadata"]?["deletionTimestamp"] != nil)
            #expect(api.lifecycle.deletedNames == ["web"])
            // The double removes pods that have no containers, so the pod is gone now.
            #expect(try await api.send("GET", "/pods/default/web").status == 404)
            #expect(try await api.send("DELETE", "/pods/default/web").status == 404)
            #expect(try await api.send("DELETE", "/pods/default/x?gracePeriodSeconds=abc").status == 400)
        }
    }

    @Test func deleteOptionsBodyAndPreconditions() async throws {
        try await withPodAPI { api in
            let created = try json(try await api.send("POST", "/pods", body: Self.webPod).body)
            let conflict = try await api.send("DELETE", "/pods/default/web", body: #"{"kind":"DeleteOptions","apiVersion":"v1","preconditions":{"uid":"not-the-uid"}}"#)
            #expect(conflict.status == 409, "\(conflict.body)")
            guard case let .string(uid)? = created["metadata"]?["uid"] else { Issue.record("no uid"); return }
            let ok = try await api.send("DELETE", "/pods/default/web", body: #"{"gracePeriodSeconds":0,"preconditions":{"uid":"\#(uid)"}}"#)
            #expect(ok.status == 200, "\(ok.body)")
            #expect(try json(ok.body)["metadata"]?["deletionGracePeriodSeconds"] == .int(0))
        }
    }

    @Test func admissionRefusesPastMaxPods() async throws {
        try await withPodAPI(maxPods: 1) { api in
            #expect(try await api.send("POST", "/pods", body: Self.webPod).status == 201)
            let second = Self.webPod.replacingOccurrences(of: "\"name\":\"web\"", with: "\"name\":\"web2\"")
            let refused = try await api.send("POST", "/pods", body: second)
            #expect(refused.status == 403, "\(refused.body)")
            #expect(refused.body.contains("OutOfpods"))
        }
    }

    @Test func eventsAreListed() async throws {
        try await withPodAPI { api in
            #expect(try await api.send("POST", "/pods", body: Self.webPod).status == 201)
            let reply = try await api.send("GET", "/pods/default/web/events")
            #expect(reply.status == 200)
            let list = try KubeJSON.decode(EventList.self, from: Array(reply.body.utf8))
            #expect(list.items.contains { $0.reason == "Accepted" && $0.involvedObject.name == "web" })
            #expect(try await api.send("GET", "/pods/default/nope/events").status == 404)
            #expect(try await api.send("GET", "/events?namespace=default").status == 200)
        }
    }
}
