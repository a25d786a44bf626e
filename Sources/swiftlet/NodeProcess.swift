import CRI
import EventHTTP
import Foundation
import Logging
import ManagedRuntime
import NodeAPI

/// The running node: security material, the container runtime, the API server, and an orderly shutdown.
struct NodeProcess {
    let settings: NodeSettings
    let logger: Logger

    struct StartupError: Error, CustomStringConvertible {
        var description: String
    }

    init(settings: NodeSettings, logger: Logger) throws {
        self.settings = settings
        self.logger = logger
    }

    private var rootDirectory: String { settings.rootDir ?? "/var/lib/swiftlet" }

    private var nodeName: String {
        settings.hostnameOverride ?? ProcessInfo.processInfo.hostName.lowercased()
    }

    func run() async throws {
        try FileManager.default.createDirectory(atPath: rootDirectory, withIntermediateDirectories: true)
        let security = try SecurityBootstrap(settings: settings, rootDirectory: rootDirectory, nodeName: nodeName, logger: logger).run()
        let policy = try settings.authorizationPolicyFile.map { try AuthorizationPolicy(contentsOf: $0) } ?? AuthorizationPolicy()

        let runtime = try RuntimeConnection.open(settings: settings, rootDirectory: rootDirectory, logger: logger)

        let table = RouteTable(NodeRoutes.all(readiness: [runtime.readinessCheck]))
        var configuration = HTTPServerConfiguration()
        configuration.address = settings.address ?? "0.0.0.0"
        configuration.port = settings.port ?? 10250
        configuration.tls = security.tls
        configuration.maxBodyBytes = settings.maxRequestBodyBytes ?? configuration.maxBodyBytes
        configuration.maxConnections = settings.maxConnections ?? configuration.maxConnections
        let auth = AuthMiddleware(
            authenticator: RequestAuthenticator(tokens: security.tokens),
            policy: policy, table: table, nodeName: nodeName
        )
        let server = HTTPServer(configuration: configuration, router: table.makeRouter(), middleware: [auth], logger: logger)
        let signals = SignalWatcher()
        try server.start()
        for note in security.notes { logger.notice("\(note)") }
        let scheme = security.tls == nil ? "http" : "https"
        logger.notice("serving \(scheme)://\(configuration.address):\(server.boundPort) as node \(nodeName)")

        let signal = await signals.next()
        logger.notice("received signal \(signal.map(String.init) ?? "?"), shutting down")
        let grace = Duration.seconds(settings.shutdownGracePeriodSeconds ?? 30)
        await server.shutdown(gracePeriod: grace)
        await runtime.close()
        logger.notice("stopped")
    }
}
