import CRI
import EventHTTP
import Foundation
import Logging
import StreamBridge
import TestSupport

/// One stream test's world: the shared containerd, a scope whose sandboxes and containers are removed afterwards,
/// a `StreamingService`, and a plain-HTTP EventHTTP server whose routes hand its upgrades to the user:
/// `GET /exec/{id}?command=…`, `GET /attach/{id}`, `GET /portForward/{sandbox}?ports=…` (runtime ids, no pods).
final class StreamBed: Sendable {
    let testRuntime: TestRuntime
    let client: GRPCContainerRuntime
    let scope: TestScope
    let service: StreamingService
    let server: HTTPServer
    /// The CRI endpoint the bed's containers live on.
    let endpoint: String

    static let logger = TestRuntime.makeLogger("swiftlet.test.streams")

    private init(testRuntime: TestRuntime, client: GRPCContainerRuntime, scope: TestScope, service: StreamingService,
                 server: HTTPServer, endpoint: String) {
        self.testRuntime = testRuntime
        self.client = client
        self.scope = scope
        self.service = service
        self.server = server
        self.endpoint = endpoint
    }

    /// Runs `body` with a bed; stops the server and removes the scope's runtime objects whether it threw or not.
    /// - Parameter endpoint: a private containerd's CRI endpoint instead of the shared one.
    static func with(_ name: String, configuration: StreamingConfiguration = StreamingConfiguration(),
                     endpoint: String? = nil, _ body: (StreamBed) async throws -> Void) async throws {
        let testRuntime = try await TestRuntime.shared()
        let client = try endpoint.map { try GRPCContainerRuntime(endpoint: $0, logger: logger) } ?? testRuntime.makeClient()
        let service = StreamingService(runtime: client, configuration: configuration, logger: logger)
        var serverConfiguration = HTTPServerConfiguration()
        serverConfiguration.address = "127.0.0.1"
        serverConfiguration.port = 0
        let server = HTTPServer(configuration: serverConfiguration, router: makeRouter(service), logger: logger)
        try server.start()
        let bed = StreamBed(testRuntime: testRuntime, client: client, scope: testRuntime.makeScope(name),
                            service: service, server: server, endpoint: endpoint ?? testRuntime.endpoint)
        do {
            try await body(bed)
        } catch {
            await bed.tearDown()
            throw error
        }
        await bed.tearDown()
    }

    private func tearDown() async {
        await server.shutdown(gracePeriod: .seconds(2))
        _ = try? await TestRuntime.cleanUp(scope, endpoint: endpoint)
        await client.close()
    }

    private static func makeRouter(_ service: StreamingService) -> Router {
        @Sendable func answer(_ make: () async throws -> WebSocketUpgrade) async throws -> HTTPResponse {
            do {
                return HTTPResponse(body: .webSocket(try await make()))
            } catch let error as StreamingError {
                throw error.httpError
            }
        }
        var router = Router()
        router.get("/exec/{id}") { request, context in
            try await answer {
                try await service.exec(containerID: try context.parameter("id"), command: request.query.all("command"),
                                       options: RemoteCommandOptions { request.query[$0] },
                                       clientKey: StreamClientKey.key(for: request))
            }
        }
        router.get("/attach/{id}") { request, context in
            try await answer {
                try await service.attach(containerID: try context.parameter("id"), options: RemoteCommandOptions { request.query[$0] },
                                         clientKey: StreamClientKey.key(for: request))
            }
        }
        router.get("/portForward/{id}") { request, context in
            try await answer {
                let ports = request.query.all("ports").flatMap { $0.split(separator: ",") }.compactMap { UInt16($0) }
                return try await service.portForward(sandboxID: try context.parameter("id"), ports: ports,
                                                     clientKey: StreamClientKey.key(for: request))
            }
        }
        return router
    }

    /// `ws://127.0.0.1:<port><path>`.
    func url(_ path: String) -> String { "ws://127.0.0.1:\(server.boundPort)\(path)" }

    /// An exec URL for `command` with the given flags.
    func execURL(_ containerID: String, _ command: [String], stdin: Bool = false, stdout: Bool = true,
                 stderr: Bool = true, tty: Bool = false) -> String {
        var query = command.map { "command=" + ($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0) }
        query += ["stdin=\(stdin)", "stdout=\(stdout)", "stderr=\(stderr)", "tty=\(tty)"]
        return url("/exec/\(containerID)?" + query.joined(separator: "&"))
    }

    /// Runs the Python user against `url`.
    func user(_ url: String, subprotocols: [String] = ["v4.channel.k8s.io"], steps: [[String: Any]],
              timeout: Double = 20) async throws -> StreamUser.Outcome {
        try await StreamUser.run(repositoryRoot: testRuntime.repositoryRoot, url: url, subprotocols: subprotocols,
                                 steps: steps, timeout: timeout)
    }

    /// A running sandbox in the pod network (port-forward needs a network namespace of its own).
    func startSandbox(_ name: String) async throws -> (id: String, config: Runtime_V1_PodSandboxConfig) {
        var config = Runtime_V1_PodSandboxConfig()
        config.metadata.name = scope.name(name)
        config.metadata.namespace = "stream-tests"
        config.metadata.uid = scope.name(name) + "-uid"
        config.labels = scope.labels
        config.logDirectory = scope.logDirectory
        config.hostname = name
        config.linux.securityContext.namespaceOptions.network = .pod
        return (try await client.runPodSandbox(config, runtimeHandler: ""), config)
    }

    /// A started busybox container running `command`; `stdin` keeps its standard input open for attach.
    func startContainer(in sandbox: (id: String, config: Runtime_V1_PodSandboxConfig), name: String, command: [String],
                        stdin: Bool = false, tty: Bool = false) async throws -> String {
        _ = try await client.pullImage(testRuntime.busyboxImage, auth: nil, sandboxConfig: sandbox.config)
        var config = Runtime_V1_ContainerConfig()
        config.metadata.name = name
        config.image.image = testRuntime.busyboxImage
        config.command = command
        config.labels = scope.labels
        config.logPath = "\(name)_0.log"
        config.stdin = stdin
        config.tty = tty
        let id = try await client.createContainer(sandboxID: sandbox.id, config: config, sandboxConfig: sandbox.config)
        try await client.startContainer(id: id)
        return id
    }

    /// A sandbox with one long-running busybox container, for exec tests.
    func sleeper(_ name: String = "exec") async throws -> String {
        let sandbox = try await startSandbox(name)
        return try await startContainer(in: sandbox, name: "main", command: ["sleep", "3600"])
    }
}
