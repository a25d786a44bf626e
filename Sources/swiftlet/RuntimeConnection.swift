import CRI
import Logging
import ManagedRuntime
import NodeAPI

/// The container runtime the node talks to: an existing containerd, or one Swiftlet starts and supervises.
///
/// A managed containerd is started in the background so that the API (and `/readyz` answering 503) is up at
/// once; an unreachable external socket is reported at startup and through `/readyz`, never as a hang.
struct RuntimeConnection: Sendable {
    let client: GRPCContainerRuntime
    let managed: ManagedContainerd?
    /// The background task that starts the managed containerd or first contacts the external one.
    let startup: Task<Void, Never>?

    var readinessCheck: any ReadinessCheck { RuntimeReadiness(runtime: client) }

    static func open(settings: NodeSettings, rootDirectory: String, logger: Logger) throws -> RuntimeConnection {
        if let endpoint = settings.containerRuntimeEndpoint {
            let client = try GRPCContainerRuntime(endpoint: endpoint, logger: logger)
            // Checked in the background so the API comes up at once; /readyz reports the outcome.
            let probe = Task {
                do {
                    let version = try await client.version()
                    logger.notice("container runtime \(version.runtimeName) \(version.runtimeVersion) at \(endpoint)")
                } catch {
                    logger.error("container runtime at \(endpoint) is not reachable: \(error); /readyz answers 503 until it is")
                }
            }
            return RuntimeConnection(client: client, managed: nil, startup: probe)
        }
        try Preflight.check()
        var configuration = ManagedContainerd.Configuration(rootDirectory: rootDirectory)
        if let image = settings.podInfraContainerImage { configuration.podInfraContainerImage = image }
        if let cidr = settings.podCIDR { configuration.podCIDR = cidr }
        configuration.insecureRegistries = settings.insecureRegistries ?? []
        configuration.registryConfigDirectory = settings.registryConfigDir
        let managed = ManagedContainerd(configuration: configuration, logger: logger)
        let client = try GRPCContainerRuntime(endpoint: managed.endpoint, logger: logger)
        let startup = Task {
            do {
                try await managed.start()
                logger.notice("managed containerd is ready at \(managed.endpoint)")
            } catch {
                logger.error("managed containerd failed to start: \(error)")
            }
        }
        return RuntimeConnection(client: client, managed: managed, startup: startup)
    }

    /// Returns once CRI reports RuntimeReady and NetworkReady, checking every second; returns early when cancelled.
    func waitUntilReady() async {
        let readiness = RuntimeReadiness(runtime: client)
        while !Task.isCancelled {
            if await readiness.notReadyReason() == nil { return }
            try? await Task.sleep(for: .seconds(1))
        }
    }

    func close() async {
        startup?.cancel()
        await client.close()
        await managed?.stop()
    }
}

/// `/readyz` is ready when CRI reports both RuntimeReady and NetworkReady.
struct RuntimeReadiness: ReadinessCheck {
    let runtime: any ContainerRuntime
    var name: String { "runtime" }

    func notReadyReason() async -> String? {
        do {
            let status = try await runtime.status(verbose: false)
            if status.runtimeReady && status.networkReady { return nil }
            let conditions = [RuntimeStatusReport.runtimeReadyCondition, RuntimeStatusReport.networkReadyCondition]
            return conditions.map { type in
                guard let condition = status.condition(type) else { return "\(type) not reported" }
                return condition.status ? "\(type)=true" : "\(type)=false (\(condition.reason): \(condition.message))"
            }.joined(separator: ", ")
        } catch {
            return "\(error)"
        }
    }
}
