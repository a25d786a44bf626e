import KubeTypes

/// Every setting of a Swiftlet node, after defaults, the config file and the flags are merged.
///
/// The config file (`--config`) is YAML whose keys are the flag names in camelCase (`tlsCertFile`,
/// `containerRuntimeEndpoint`, ...). Flags win over the file, and the file wins over defaults, as with kubelet.
struct NodeSettings: Codable, Equatable, Sendable {
    var address: String?
    var port: Int?
    var tlsCertFile: String?
    var tlsPrivateKeyFile: String?
    var clientCAFile: String?
    var tokenAuthFile: String?
    var authorizationPolicyFile: String?
    var rootDir: String?
    var insecureHTTP: Bool?
    var hostnameOverride: String?
    var containerRuntimeEndpoint: String?
    var podInfraContainerImage: String?
    var podCIDR: String?
    var insecureRegistries: [String]?
    var registryConfigDir: String?
    var maxPods: Int?
    var maxRequestBodyBytes: Int?
    var maxConnections: Int?
    var shutdownGracePeriodSeconds: Int?
    var logLevel: String?
    /// How often the runtime is relisted (containerd 1.6 sends no events), as a duration such as `1s`.
    var relistPeriodText: String?
    /// Directory of static pod manifests (kubelet's `--pod-manifest-path`, config key `staticPodPath` in kubelet's
    /// own config; here the flag name in camelCase like every other key).
    var podManifestPath: String?
    /// How often the manifest directory is rescanned (kubelet's `--file-check-frequency`), such as `20s`.
    var fileCheckFrequencyText: String?
    /// Resources kept from pods (kubelet's `--system-reserved`): `cpu` and `memory` quantities.
    var systemReserved: [String: String]?
    /// Rotate a container's log at this size (kubelet's `--container-log-max-size`), a quantity such as `10Mi`.
    var containerLogMaxSize: String?
    /// Log files kept per container, the live one included (kubelet's `--container-log-max-files`).
    var containerLogMaxFiles: Int?
    /// How often container logs are checked for rotation (kubelet's `containerLogMonitorInterval`), such as `10s`.
    var containerLogMonitorIntervalText: String?
    /// How often the stats cache is refreshed (kubelet's `--housekeeping-interval`), such as `10s`.
    var housekeepingIntervalText: String?
    /// How long an exec/attach/port-forward stream may go without traffic (kubelet's
    /// `--streaming-connection-idle-timeout`), such as `4h`.
    var streamingConnectionIdleTimeoutText: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case address, port, tlsCertFile, tlsPrivateKeyFile
        case clientCAFile = "clientCAFile"
        case tokenAuthFile, authorizationPolicyFile, rootDir
        case insecureHTTP = "insecureHTTP"
        case hostnameOverride, containerRuntimeEndpoint, podInfraContainerImage
        case podCIDR = "podCIDR"
        case insecureRegistries, registryConfigDir, maxPods, maxRequestBodyBytes, maxConnections
        case shutdownGracePeriodSeconds, logLevel
        case relistPeriodText = "relistPeriod"
        case podManifestPath
        case fileCheckFrequencyText = "fileCheckFrequency"
        case systemReserved
        case containerLogMaxSize, containerLogMaxFiles
        case streamingConnectionIdleTimeoutText = "streamingConnectionIdleTimeout"
        case containerLogMonitorIntervalText = "containerLogMonitorInterval"
        case housekeepingIntervalText = "housekeepingInterval"
    }

    /// The relist period, parsed; one second when unset.
    var relistPeriod: Duration {
        get throws { try relistPeriodText.map(GoDuration.parse) ?? .seconds(1) }
    }

    /// How often static pod manifests are rescanned; 20 seconds (kubelet's default) when unset.
    var fileCheckFrequency: Duration {
        get throws { try fileCheckFrequencyText.map(GoDuration.parse) ?? .seconds(20) }
    }

    /// `--container-log-max-size` in bytes (10 MiB when unset); a quantity that is not a positive whole number of
    /// bytes is an error naming the flag.
    var containerLogMaxSizeBytes: Int {
        get throws {
            let text = containerLogMaxSize ?? "10Mi"
            let quantity: Quantity
            do {
                quantity = try Quantity(parsing: text)
            } catch {
                throw ContainerLogSettingError(description: "--container-log-max-size \(text): \(error)")
            }
            guard quantity.value > 0 else {
                throw ContainerLogSettingError(description: "--container-log-max-size \(text) must be positive")
            }
            return Int(quantity.value)
        }
    }

    /// How often container logs are checked for rotation; 10 seconds (kubelet's default) when unset.
    var containerLogMonitorInterval: Duration {
        get throws { try containerLogMonitorIntervalText.map(GoDuration.parse) ?? .seconds(10) }
    }

    /// How often the stats cache is refreshed; 10 seconds (kubelet's default) when unset. At least 1 second, so a
    /// typo cannot turn housekeeping into a busy loop against the runtime.
    var housekeepingInterval: Duration {
        get throws {
            let interval = try housekeepingIntervalText.map(GoDuration.parse) ?? .seconds(10)
            guard interval >= .seconds(1) else {
                throw ContainerLogSettingError(description: "--housekeeping-interval \(housekeepingIntervalText ?? "") must be at least 1s")
            }
            return interval
        }
    }

    /// The idle timeout of interactive streams; 4 hours (kubelet's default) when unset, and more than zero.
    var streamingConnectionIdleTimeout: Duration {
        get throws {
            let timeout = try streamingConnectionIdleTimeoutText.map(GoDuration.parse) ?? .seconds(4 * 3600)
            guard timeout > .zero else {
                throw ContainerLogSettingError(description: "--streaming-connection-idle-timeout \(streamingConnectionIdleTimeoutText ?? "") must be more than 0")
            }
            return timeout
        }
    }

    /// `--system-reserved` as millicores and bytes, validated: only `cpu` and `memory` are understood.
    var systemReservedAmounts: (cpuMillis: Int64, memoryBytes: Int64) {
        get throws { try SystemReserved.parse(systemReserved ?? [:]) }
    }

    /// `other`'s values where it has them, this one's elsewhere.
    func overlaid(with other: NodeSettings) -> NodeSettings {
        NodeSettings(
            address: other.address ?? address,
            port: other.port ?? port,
            tlsCertFile: other.tlsCertFile ?? tlsCertFile,
            tlsPrivateKeyFile: other.tlsPrivateKeyFile ?? tlsPrivateKeyFile,
            clientCAFile: other.clientCAFile ?? clientCAFile,
            tokenAuthFile: other.tokenAuthFile ?? tokenAuthFile,
            authorizationPolicyFile: other.authorizationPolicyFile ?? authorizationPolicyFile,
            rootDir: other.rootDir ?? rootDir,
            insecureHTTP: other.insecureHTTP ?? insecureHTTP,
            hostnameOverride: other.hostnameOverride ?? hostnameOverride,
            containerRuntimeEndpoint: other.containerRuntimeEndpoint ?? containerRuntimeEndpoint,
            podInfraContainerImage: other.podInfraContainerImage ?? podInfraContainerImage,
            podCIDR: other.podCIDR ?? podCIDR,
            insecureRegistries: other.insecureRegistries ?? insecureRegistries,
            registryConfigDir: other.registryConfigDir ?? registryConfigDir,
            maxPods: other.maxPods ?? maxPods,
            maxRequestBodyBytes: other.maxRequestBodyBytes ?? maxRequestBodyBytes,
            maxConnections: other.maxConnections ?? maxConnections,
            shutdownGracePeriodSeconds: other.shutdownGracePeriodSeconds ?? shutdownGracePeriodSeconds,
            logLevel: other.logLevel ?? logLevel,
            relistPeriodText: other.relistPeriodText ?? relistPeriodText,
            podManifestPath: other.podManifestPath ?? podManifestPath,
            fileCheckFrequencyText: other.fileCheckFrequencyText ?? fileCheckFrequencyText,
            systemReserved: other.systemReserved ?? systemReserved,
            containerLogMaxSize: other.containerLogMaxSize ?? containerLogMaxSize,
            containerLogMaxFiles: other.containerLogMaxFiles ?? containerLogMaxFiles,
            containerLogMonitorIntervalText: other.containerLogMonitorIntervalText ?? containerLogMonitorIntervalText,
            housekeepingIntervalText: other.housekeepingIntervalText ?? housekeepingIntervalText,
            streamingConnectionIdleTimeoutText: other.streamingConnectionIdleTimeoutText ?? streamingConnectionIdleTimeoutText
        )
    }

    /// Kubelet's defaults where kubelet has the setting, Swiftlet's own elsewhere.
    static let defaults = NodeSettings(
        address: "0.0.0.0",
        port: 10250,
        rootDir: "/var/lib/swiftlet",
        insecureHTTP: false,
        podInfraContainerImage: "registry.k8s.io/pause:3.9",
        podCIDR: "10.244.0.0/16",
        insecureRegistries: [],
        maxPods: 110,
        maxRequestBodyBytes: 3 * 1024 * 1024,
        maxConnections: 1024,
        shutdownGracePeriodSeconds: 30,
        logLevel: "info",
        relistPeriodText: "1s",
        fileCheckFrequencyText: "20s",
        containerLogMaxSize: "10Mi",
        containerLogMaxFiles: 5,
        containerLogMonitorIntervalText: "10s",
        housekeepingIntervalText: "10s",
        streamingConnectionIdleTimeoutText: "4h"
    )
}

/// A container log setting that cannot be used.
struct ContainerLogSettingError: Error, CustomStringConvertible {
    var description: String
}
