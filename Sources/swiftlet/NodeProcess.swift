import CRI
import EventHTTP
import FoundationEssentials
import Logging
import KubeTypes
import ManagedRuntime
import NodeAgent
import NodeAPI
import StreamBridge

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

        let store = try await ObjectStore<Pod>(
            directory: try DurableDirectory(path: rootDirectory + "/pods/store", logger: logger), logger: logger)
        for problem in store.loadProblems {
            logger.error("stored pod file set aside: \(problem)")
        }
        let events = EventRecorder(nodeName: nodeName, logger: logger)
        let runtime = try RuntimeConnection.open(settings: settings, rootDirectory: rootDirectory, logger: logger)
        // Stats cache, metrics and their hooks; the engine gets the instrumented runtime and the probe observer.
        let observability = try ObservabilityWiring(
            settings: settings, nodeName: nodeName, rootDirectory: rootDirectory, runtime: runtime, store: store, logger: logger)
        let podManager = PodManager(
            runtime: observability.instrumentedRuntime, store: store, events: events,
            configuration: PodManagerConfiguration(nodeName: nodeName, rootDirectory: rootDirectory, relistPeriod: try settings.relistPeriod,
                                                   probeObserver: observability.probeMetrics,
                                                   syncObserver: observability.kubeletMetrics),
            logger: logger)
        let reserved = try settings.systemReservedAmounts
        let pods = PodService(
            store: store, lifecycle: podManager, events: events,
            admission: PodAdmission(resources: NodeResources.detect(
                maxPods: settings.maxPods ?? 110, systemReservedCPUMillis: reserved.cpuMillis,
                systemReservedMemoryBytes: reserved.memoryBytes)),
            logger: logger)
        let staticPods = try settings.podManifestPath.map { directory in
            StaticPodSource(
                directory: directory, nodeName: nodeName, pods: pods, checkPeriod: try settings.fileCheckFrequency,
                logger: logger)
        }
        // The engine adopts what the runtime still runs once the runtime answers; until then the API already
        // accepts pods, which their workers start as soon as containerd is ready.
        let engineStartup = Task {
            await runtime.waitUntilReady()
            guard !Task.isCancelled else { return }
            await podManager.start()
        }
        await staticPods?.start()

        // Rotates container logs over the size limit; kubelet's container log manager.
        let logManager = try ContainerLogManager(
            runtime: runtime.client, maxSize: try settings.containerLogMaxSizeBytes,
            maxFiles: settings.containerLogMaxFiles ?? 5, period: try settings.containerLogMonitorInterval,
            labelSelector: PodManagerConfiguration(nodeName: nodeName, rootDirectory: rootDirectory).ownerLabels,
            logger: logger)
        let logRotation = Task {
            await runtime.waitUntilReady()
            await logManager.run()
        }

        var services = NodeServices(readiness: [runtime.readinessCheck], pods: pods)
        services.containers = RuntimeContainerLocator(pods: pods, runtime: runtime.client)
        services.containerRuntime = runtime.client
        services.observability = observability.services
        let streaming = StreamingService(
            runtime: runtime.client,
            configuration: StreamingConfiguration(idleTimeout: try settings.streamingConnectionIdleTimeout),
            logger: logger)
        services.streaming = streaming
        // POST /exec with an Upgrade header reaches the one-shot exec route first; it hands the request over.
        services.execUpgrade = StreamRoutes(pods: pods, containers: services.containers, runtime: runtime.client,
                                            streaming: streaming).execUpgradeHandler
        let observabilityStartup = observability.start(runtime: runtime)
        let heapTrimming = Task { await HeapTrimmer(logger: logger).run() }
        let table = RouteTable(NodeRoutes.all(services))
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
        let server = HTTPServer(configuration: configuration, router: table.makeRouter(), middleware: [observability.httpMetrics, auth], logger: logger)
        let signals = SignalWatcher()
        try server.start()
        for note in security.notes { logger.notice("\(note)") }
        let scheme = security.tls == nil ? "http" : "https"
        logger.notice("serving \(scheme)://\(configuration.address):\(server.boundPort) as node \(nodeName)")

        let signal = await signals.next()
        logger.notice("received signal \(signal.map(String.init) ?? "?"), shutting down")
        let grace = Duration.seconds(settings.shutdownGracePeriodSeconds ?? 30)
        // Watches never finish on their own: end them first so their streams close cleanly instead of holding the
        // server's drain until the grace period runs out.
        await store.finishAllWatches()
        await server.shutdown(gracePeriod: grace)
        engineStartup.cancel()
        logRotation.cancel()
        heapTrimming.cancel()
        await staticPods?.stop()
        await observability.stop(observabilityStartup)
        await podManager.stop()
        await store.flushDeferredWrites()
        await runtime.close()
        logger.notice("stopped")
    }
}
