import CRI
import EventHTTP
import Foundation
import KubeTypes
import Logging
import NodeAPI
import NodeAgent
import StreamBridge
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A node that really runs pods: the shared test containerd, a PodManager scoped to the test's labels, the pod API,
/// the container locator and the runtime, behind a TLS server with the test identities. For the log and exec routes.
final class RuntimeNode: Sendable {
    let testRuntime: TestRuntime
    let client: GRPCContainerRuntime
    let scope: TestScope
    let store: ObjectStore<Pod>
    let manager: PodManager
    let pods: PodService
    let node: TestNode
    let root: String

    static let logger = TestRuntime.makeLogger("swiftlet.test.logs-exec")

    private init(testRuntime: TestRuntime, client: GRPCContainerRuntime, scope: TestScope, store: ObjectStore<Pod>,
                 manager: PodManager, pods: PodService, node: TestNode, root: String) {
        self.testRuntime = testRuntime
        self.client = client
        self.scope = scope
        self.store = store
        self.manager = manager
        self.pods = pods
        self.node = node
        self.root = root
    }

    /// Runs `body` on a fresh node; removes the scope's pods, the root directory and the server afterwards.
    /// `streaming` also wires the interactive stream service (exec, attach and port-forward over WebSocket).
    static func with(_ name: String, streaming: Bool = false, _ body: (RuntimeNode) async throws -> Void) async throws {
        let testRuntime = try await TestRuntime.shared()
        let scope = testRuntime.makeScope(name)
        let client = try testRuntime.makeClient()
        let root = NSTemporaryDirectory() + "swiftlet-logs-exec-tests/" + scope.id
        let configuration = PodManagerConfiguration(
            nodeName: "test-node", rootDirectory: root, relistPeriod: .milliseconds(200), backoffBase: .seconds(1),
            backoffMax: .seconds(30), hostIP: "127.0.0.1", ownerLabels: scope.labels)
        let store = try await ObjectStore<Pod>(directory: InMemoryPersistence(), logger: logger)
        let events = EventRecorder(nodeName: "test-node", logger: logger)
        let manager = PodManager(runtime: client, store: store, events: events, configuration: configuration, logger: logger)
        let pods = PodService(
            store: store, lifecycle: manager, events: events,
            admission: PodAdmission(resources: NodeResources(cpuMillis: 64_000, memoryBytes: 256 << 30, maxPods: 500)),
            logger: logger)
        var services = NodeServices(readiness: [], pods: pods)
        services.containers = RuntimeContainerLocator(pods: pods, runtime: client)
        services.containerRuntime = client
        if streaming { services.streaming = StreamingService(runtime: client, logger: logger) }
        var failure: (any Error)?
        var node: TestNode?
        do {
            node = try TestNode(routes: NodeRoutes.all(services))
        } catch {
            failure = error
        }
        if let node {
            await manager.start()
            let bed = RuntimeNode(testRuntime: testRuntime, client: client, scope: scope, store: store,
                                  manager: manager, pods: pods, node: node, root: root)
            do { try await body(bed) } catch { failure = error }
            await node.stop()
            await manager.stop()
        }
        _ = try? await testRuntime.cleanUp(scope)
        try? FileManager.default.removeItem(atPath: root)
        await client.close()
        if let failure { throw failure }
    }

    /// Creates a pod named `<scope>-<suffix>` through the pod API.
    @discardableResult
    func create(_ suffix: String, restartPolicy: RestartPolicy = .always, containers: [Container],
                initContainers: [Container]? = nil, volumes: [Volume]? = nil) async throws -> Pod {
        let pod = Pod(metadata: ObjectMeta(name: scope.name(suffix), namespace: "default"),
                      spec: PodSpec(volumes: volumes, initContainers: initContainers, containers: containers,
                                    restartPolicy: restartPolicy))
        return try await pods.create(pod)
    }

    /// A busybox container running `script` with `sh -c`.
    func shell(_ name: String, _ script: String) -> Container {
        Container(name: name, image: testRuntime.busyboxImage, command: ["sh", "-c", script])
    }

    /// Polls the stored pod until `predicate` holds.
    @discardableResult
    func waitFor(_ pod: Pod, timeout: Duration = .seconds(60), _ what: String, _ predicate: (Pod) -> Bool) async throws -> Pod {
        let key = ObjectKey(namespace: pod.metadata.namespace ?? "default", name: pod.metadata.name ?? "")
        let deadline = ContinuousClock.now + timeout
        var last: Pod?
        while ContinuousClock.now < deadline {
            if let current = await store.get(key) {
                last = current
                if predicate(current) { return current }
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        let text = last.flatMap { try? KubeJSON.encode($0.status) }.map { String(decoding: $0, as: UTF8.self) } ?? "none"
        throw FixtureError(message: "timed out waiting for \(what); last status: \(text)")
    }

    /// Waits until container `name` is running.
    @discardableResult
    func waitRunning(_ pod: Pod, _ name: String) async throws -> Pod {
        try await waitFor(pod, "\(name) running") { p in
            p.status.containerStatuses?.first { $0.name == name }?.state?.running != nil
        }
    }

    /// Polls a GET as the admin until its body satisfies `predicate`; returns that reply.
    func poll(_ path: String, timeout: Duration = .seconds(30), _ predicate: (TestNode.Reply) -> Bool) async throws -> TestNode.Reply {
        let deadline = ContinuousClock.now + timeout
        var last: TestNode.Reply?
        while ContinuousClock.now < deadline {
            let reply = try await admin("GET", path)
            last = reply
            if predicate(reply) { return reply }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw FixtureError(message: "GET \(path) never matched; last: \(last?.status ?? 0) \(last?.body.prefix(300) ?? "")")
    }

    /// One request as the admin.
    func admin(_ method: String, _ path: String, extra: [String] = []) async throws -> TestNode.Reply {
        try await node.curl(method, path, credential: .token("token-admin"), extra: extra)
    }

    /// `/containerLogs/default/<pod>/<container>` with a query.
    func logsPath(_ pod: Pod, _ container: String?, _ query: String = "") -> String {
        var path = "/containerLogs/default/\(pod.metadata.name ?? "")"
        if let container { path += "/\(container)" }
        return query.isEmpty ? path : path + "?" + query
    }
}

struct FixtureError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// The `message` of a Status body.
func statusMessage(_ body: String) -> String? {
    guard case .object(let fields)? = try? KubeJSON.parse(Array(body.utf8)),
          let value = fields.first(where: { $0.0 == "message" })?.1, case .string(let text) = value
    else { return nil }
    return text
}
