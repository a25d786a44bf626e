import CRI
import EventHTTP
import Foundation
import KubeTypes
import Logging
import NodeAPI
import NodeAgent
import NodeMetrics
import NodeStats
import TestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// One test's node: the shared test containerd, a PodManager over the instrumented runtime (owner labels = the
/// test's scope, so concurrent suites never see each other's pods), a stats collector with a 1 s housekeeping
/// interval, and the observability routes on a real TLS server with a token per role.
final class StatsBed: Sendable {
    let testRuntime: TestRuntime
    let scope: TestScope
    let client: GRPCContainerRuntime
    let store: ObjectStore<Pod>
    let kubeletMetrics: KubeletMetrics
    let probeMetrics: ProbeMetrics
    let manager: PodManager
    let collector: StatsCollector
    let podStarts: PodStartTracker
    let server: HTTPServer
    let directory: String
    let rootDirectory: String
    let caFile: String
    let port: Int

    static let logger = TestRuntime.makeLogger("swiftlet.test.stats")
    static let tokens: [String: UserInfo] = [
        "token-admin": UserInfo(name: "root", uid: "1", groups: ["system:masters"]),
        "token-viewer": UserInfo(name: "alice", uid: "2"),
        "token-metrics": UserInfo(name: "prometheus", uid: "3"),
        "token-norole": UserInfo(name: "mallory", uid: "4"),
    ]

    private init(testRuntime: TestRuntime, scope: TestScope, client: GRPCContainerRuntime, store: ObjectStore<Pod>,
                 directory: String) throws {
        self.testRuntime = testRuntime
        self.scope = scope
        self.client = client
        self.store = store
        self.directory = directory
        self.rootDirectory = directory + "/root"
        let collectorConfiguration = StatsCollectorConfiguration(
            nodeName: "stats-node", rootDirectory: rootDirectory, housekeepingInterval: .seconds(1),
            ownerLabels: scope.labels, runtimePID: { [containerd = testRuntime.containerd] in await containerd.processID })
        collector = StatsCollector(runtime: client, configuration: collectorConfiguration,
                                   pods: { [store] in await store.list().items }, logger: Self.logger)
        kubeletMetrics = KubeletMetrics(version: "test", stats: collector)
        probeMetrics = ProbeMetrics()
        let configuration = PodManagerConfiguration(
            nodeName: "stats-node", rootDirectory: rootDirectory, relistPeriod: .milliseconds(200),
            ownerLabels: scope.labels, probeObserver: probeMetrics)
        let instrumented = InstrumentedRuntime(client, metrics: kubeletMetrics)
        podStarts = PodStartTracker(store: store, metrics: kubeletMetrics,
                                    pullSeconds: { instrumented.takePullSeconds(podUID: $0) }, logger: Self.logger)
        manager = PodManager(runtime: instrumented, store: store,
                             events: EventRecorder(nodeName: "stats-node", logger: Self.logger),
                             configuration: configuration, logger: Self.logger)

        let pki = try PKIBootstrap.ensure(directory: directory + "/pki", hostnames: ["localhost"],
                                          ipAddresses: ["127.0.0.1"], logger: Self.logger)
        caFile = pki.caCertificate
        let services = NodeObservability(
            stats: collector, kubeletMetrics: kubeletMetrics, probeMetrics: probeMetrics, version: "test",
            runtimeVersion: { [client] in
                guard let version = try? await client.version() else { return nil }
                return "\(version.runtimeName)://\(version.runtimeVersion)"
            },
            configz: Array(#"{"kubeletconfig":{"tokenAuthFile":"/etc/tokens.csv"}}"#.utf8))
        let table = RouteTable(HealthRoutes(readinessChecks: []).routes + ObservabilityRoutes(services: services).routes)
        var http = HTTPServerConfiguration()
        http.address = "127.0.0.1"
        http.port = 0
        http.tls = TLSConfiguration(certificateChainFile: pki.certificate, privateKeyFile: pki.privateKey)
        let auth = AuthMiddleware(
            authenticator: RequestAuthenticator(tokens: StaticTokenFile(tokens: Self.tokens)),
            policy: AuthorizationPolicy(bindings: [
                .init(role: .viewer, users: ["alice"]), .init(role: .metrics, users: ["prometheus"]),
            ]),
            table: table, nodeName: "stats-node")
        server = HTTPServer(configuration: http, router: table.makeRouter(),
                            middleware: [HTTPMetricsMiddleware(metrics: kubeletMetrics), auth], logger: Self.logger)
        try server.start()
        port = server.boundPort
    }

    /// Runs `body` with a started bed, then stops everything and removes what the test created, also on failure.
    static func with(_ name: String, _ body: (StatsBed) async throws -> Void) async throws {
        let testRuntime = try await TestRuntime.shared()
        let scope = testRuntime.makeScope(name)
        let client = try testRuntime.makeClient()
        let directory = NSTemporaryDirectory() + "swiftlet-stats-tests/" + scope.id
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let store = try await ObjectStore<Pod>(directory: InMemoryPersistence(), logger: logger)
        let bed = try StatsBed(testRuntime: testRuntime, scope: scope, client: client, store: store, directory: directory)
        bed.podStarts.start()
        bed.collector.start()
        await bed.manager.start()
        var failure: (any Error)?
        do { try await body(bed) } catch { failure = error }
        await bed.collector.stop()
        bed.podStarts.stop()
        await bed.server.shutdown(gracePeriod: .seconds(2))
        await bed.manager.stop()
        _ = try? await testRuntime.cleanUp(scope)
        unmountAll(under: directory)
        if (try? FileManager.default.removeItem(atPath: directory)) == nil {
            // A volume mounted while the engine was stopping: give it a moment, then unmount and remove again.
            try? await Task.sleep(for: .seconds(1))
            unmountAll(under: directory)
            try? FileManager.default.removeItem(atPath: directory)
        }
        await client.close()
        if let failure { throw failure }
    }

    /// Memory-backed emptyDirs are tmpfs mounts that would keep the directory from being removed.
    static func unmountAll(under root: String) {
        guard let text = try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8) else { return }
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            if fields.count > 4, fields[4].hasPrefix(root) { umount2(String(fields[4]), Int32(MNT_DETACH)) }
        }
    }

    /// A defaulted pod named `<scope>-<suffix>`, submitted to the store and the engine as PodService does.
    @discardableResult
    func run(_ suffix: String, containers: [Container], volumes: [Volume]? = nil) async throws -> Pod {
        var pod = Pod(metadata: ObjectMeta(name: scope.name(suffix), namespace: "default"),
                      spec: PodSpec(volumes: volumes, containers: containers, restartPolicy: .always))
        PodDefaulting.apply(to: &pod, now: Time.now(), uid: UUID().uuidString.lowercased())
        let stored = try await store.create(pod)
        await manager.podAdded(stored)
        return stored
    }

    /// Waits (bounded) until every pod is Running.
    func waitRunning(_ pods: [Pod], timeout: Duration = .seconds(60)) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            var all = true
            for pod in pods where await store.get(pod.objectKey)?.status.phase != .running { all = false }
            if all { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw StatsTestError("pods not Running after \(timeout)")
    }

    /// GET `path` with a bearer token (nil: anonymous) and optional Accept header.
    func get(_ path: String, token: String?, accept: String? = nil) async throws -> (status: Int, body: String, contentType: String) {
        var arguments = ["-s", "-S", "--max-time", "30", "--cacert", caFile, "-o", "-", "-w", "\n%{http_code}\n%{content_type}"]
        if let token { arguments += ["-H", "Authorization: Bearer \(token)"] }
        if let accept { arguments += ["-H", "Accept: \(accept)"] }
        arguments.append("https://127.0.0.1:\(port)\(path)")
        let output = try await runProcess("/usr/bin/curl", arguments, timeout: 40)
        var lines = output.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let contentType = lines.popLast() ?? ""
        let status = Int(lines.popLast() ?? "") ?? 0
        return (status, lines.joined(separator: "\n"), contentType)
    }
}

struct StatsTestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
