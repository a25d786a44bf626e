import ArgumentParser
import Logging

/// The `swiftlet` command line: kubelet's flag names where kubelet has the flag.
@main
struct SwiftletCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "swiftlet",
        abstract: "A Kubernetes node agent: push v1 Pods over HTTPS, run them on containerd through CRI."
    )

    @Option(help: "IP address to serve on (kubelet: --address). Default 0.0.0.0.")
    var address: String?

    @Option(help: "HTTPS port (kubelet: --port). Default 10250.")
    var port: Int?

    @Option(name: .customLong("tls-cert-file"), help: "Serving certificate (PEM, chain allowed). Generated under <root-dir>/pki when neither it nor the key is given.")
    var tlsCertFile: String?

    @Option(name: .customLong("tls-private-key-file"), help: "Private key of the serving certificate (PEM).")
    var tlsPrivateKeyFile: String?

    @Option(name: .customLong("client-ca-file"), help: "CA bundle that verifies client certificates (CN = user, O = groups).")
    var clientCAFile: String?

    @Option(name: .customLong("token-auth-file"), help: "Static bearer tokens: CSV lines token,user,uid,\"group1,group2\".")
    var tokenAuthFile: String?

    @Option(name: .customLong("authorization-policy-file"), help: "YAML that binds users and groups to the roles admin, viewer and metrics.")
    var authorizationPolicyFile: String?

    @Option(name: .customLong("root-dir"), help: "State directory (kubelet: --root-dir). Default /var/lib/swiftlet.")
    var rootDir: String?

    @Option(name: .customLong("config"), help: "YAML config file whose keys are the flag names in camelCase; flags win.")
    var configFile: String?

    @Flag(name: .customLong("insecure-http"), help: "Serve plain HTTP instead of HTTPS. Local development only.")
    var insecureHTTP = false

    @Option(name: .customLong("hostname-override"), help: "Node name used in messages and static pod names. Default: the host name.")
    var hostnameOverride: String?

    @Option(name: .customLong("container-runtime-endpoint"), help: "CRI socket of an existing containerd (unix:///run/containerd/containerd.sock). Default: start and supervise our own containerd.")
    var containerRuntimeEndpoint: String?

    @Option(name: .customLong("pod-infra-container-image"), help: "Sandbox (pause) image for the managed containerd.")
    var podInfraContainerImage: String?

    @Option(name: .customLong("pod-cidr"), help: "Pod network of the managed containerd's default bridge.")
    var podCIDR: String?

    @Option(name: .customLong("insecure-registry"), help: "HOST:PORT of a plain-HTTP registry the managed containerd may pull from (repeatable).")
    var insecureRegistries: [String] = []

    @Option(name: .customLong("registry-config-dir"), help: "containerd certs.d directory with hosts.toml per registry.")
    var registryConfigDir: String?

    @Option(name: .customLong("max-pods"), help: "Maximum number of pods on this node. Default 110.")
    var maxPods: Int?

    @Option(name: .customLong("relist-period"), help: "How often the runtime is relisted, e.g. 1s or 200ms. Default 1s.")
    var relistPeriod: String?

    @Option(name: .customLong("pod-manifest-path"), help: "Directory of static pod manifests (YAML or JSON, one pod per file). Their pods are named <name>-<node name> and cannot be deleted through the API.")
    var podManifestPath: String?

    @Option(name: .customLong("file-check-frequency"), help: "How often the static pod directory is rescanned, e.g. 20s or 500ms. Default 20s.")
    var fileCheckFrequency: String?

    @Option(name: .customLong("system-reserved"), help: "Resources kept from pods, e.g. cpu=500m,memory=1Gi. Admission refuses pods whose requests exceed capacity minus this.")
    var systemReserved: String?

    @Option(name: .customLong("container-log-max-size"), help: "Rotate a container's log when it reaches this size, a quantity such as 10Mi. Default 10Mi.")
    var containerLogMaxSize: String?

    @Option(name: .customLong("container-log-max-files"), help: "Log files kept per container, the live one included (at least 2). Default 5.")
    var containerLogMaxFiles: Int?

    @Option(name: .customLong("container-log-monitor-interval"), help: "How often container logs are checked for rotation, e.g. 10s. Default 10s.")
    var containerLogMonitorInterval: String?

    @Option(name: .customLong("housekeeping-interval"), help: "How often the stats cache behind /stats/summary and /metrics/cadvisor is refreshed, e.g. 10s. Default 10s, at least 1s.")
    var housekeepingInterval: String?

    @Option(name: .customLong("streaming-connection-idle-timeout"), help: "Close an exec, attach or port-forward stream after this long without traffic, e.g. 30m. Default 4h.")
    var streamingConnectionIdleTimeout: String?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical. Default info.")
    var logLevel: String?

    /// The settings given on the command line; absent flags stay nil so the config file can supply them.
    var flagSettings: NodeSettings {
        get throws {
        NodeSettings(
            address: address, port: port, tlsCertFile: tlsCertFile, tlsPrivateKeyFile: tlsPrivateKeyFile,
            clientCAFile: clientCAFile, tokenAuthFile: tokenAuthFile, authorizationPolicyFile: authorizationPolicyFile,
            rootDir: rootDir, insecureHTTP: insecureHTTP ? true : nil, hostnameOverride: hostnameOverride,
            containerRuntimeEndpoint: containerRuntimeEndpoint, podInfraContainerImage: podInfraContainerImage,
            podCIDR: podCIDR, insecureRegistries: insecureRegistries.isEmpty ? nil : insecureRegistries,
            registryConfigDir: registryConfigDir, maxPods: maxPods, logLevel: logLevel,
            relistPeriodText: relistPeriod,
            podManifestPath: podManifestPath,
            fileCheckFrequencyText: fileCheckFrequency,
            systemReserved: try SystemReserved.parseFlag(systemReserved),
            containerLogMaxSize: containerLogMaxSize,
            containerLogMaxFiles: containerLogMaxFiles,
            containerLogMonitorIntervalText: containerLogMonitorInterval,
            housekeepingIntervalText: housekeepingInterval,
            streamingConnectionIdleTimeoutText: streamingConnectionIdleTimeout
        )
        }
    }

    func run() async throws {
        var settings = NodeSettings.defaults
        if let configFile {
            settings = settings.overlaid(with: try NodeSettingsFile.load(configFile))
        }
        settings = settings.overlaid(with: try flagSettings)
        let level = Logger.Level(rawValue: settings.logLevel ?? "info")
        guard let level else {
            throw ValidationError("unknown --log-level \(settings.logLevel ?? ""); use trace, debug, info, notice, warning, error or critical")
        }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        do {
            _ = try settings.relistPeriod
            _ = try settings.fileCheckFrequency
            _ = try settings.systemReservedAmounts
            _ = try settings.containerLogMaxSizeBytes
            _ = try settings.containerLogMonitorInterval
            _ = try settings.housekeepingInterval
            _ = try settings.streamingConnectionIdleTimeout
            if let files = settings.containerLogMaxFiles, files < 2 {
                throw ContainerLogSettingError(description: "--container-log-max-files \(files) must be at least 2")
            }
        } catch {
            throw ValidationError("\(error)")
        }
        let node = try NodeProcess(settings: settings, logger: Logger(label: "swiftlet"))
        try await node.run()
    }
}
