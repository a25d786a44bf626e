import CRI
import KubeTypes

/// Builds the CRI sandbox config of a pod, as kubelet's `generatePodSandboxConfig` does.
enum SandboxConfigBuilder {
    static func build(
        _ pod: Pod, attempt: UInt32, paths: PodPaths, configuration: PodManagerConfiguration, resolvConf: String?
    ) -> Runtime_V1_PodSandboxConfig {
        var config = Runtime_V1_PodSandboxConfig()
        config.metadata.name = paths.name
        config.metadata.namespace = paths.namespace
        config.metadata.uid = paths.uid
        config.metadata.attempt = attempt
        let hostNetwork = pod.spec.hostNetwork == true
        // runc refuses a hostname in the host's UTS namespace.
        config.hostname = hostNetwork ? "" : hostname(pod)
        config.logDirectory = paths.logDirectory
        config.dnsConfig = DNSConfigBuilder.build(pod.spec, resolvConf: resolvConf)
        config.portMappings = portMappings(pod.spec)
        var labels = pod.metadata.labels ?? [:]
        labels.merge(ownLabels(paths, configuration: configuration)) { _, own in own }
        config.labels = labels
        config.annotations = pod.metadata.annotations ?? [:]

        var security = Runtime_V1_LinuxSandboxSecurityContext()
        security.namespaceOptions = namespaceOptions(pod.spec)
        let podSecurity = pod.spec.securityContext
        if let user = podSecurity?.runAsUser { security.runAsUser.value = user }
        if let group = podSecurity?.runAsGroup { security.runAsGroup.value = group }
        security.supplementalGroups = supplementalGroups(podSecurity)
        security.privileged = allContainers(pod.spec).contains { $0.securityContext?.privileged == true }
        if let profile = podSecurity?.seccompProfile,
            let converted = ContainerConfigBuilder.seccomp(profile, root: configuration.rootDirectory)
        {
            security.seccomp = converted
        }
        config.linux.securityContext = security
        for sysctl in podSecurity?.sysctls ?? [] { config.linux.sysctls[sysctl.name] = sysctl.value }
        return config
    }

    /// The labels every object of this pod carries: kubelet's pod keys plus the engine's owner labels.
    static func ownLabels(_ paths: PodPaths, configuration: PodManagerConfiguration) -> [String: String] {
        var labels = configuration.ownerLabels
        labels[RuntimeLabels.podUID] = paths.uid
        labels[RuntimeLabels.podName] = paths.name
        labels[RuntimeLabels.podNamespace] = paths.namespace
        return labels
    }

    static func allContainers(_ spec: PodSpec) -> [Container] { (spec.initContainers ?? []) + spec.containers }

    /// `spec.hostname` or the pod name, cut to 63 characters without a trailing `-` or `.`.
    static func hostname(_ pod: Pod) -> String {
        var name = pod.spec.hostname ?? pod.metadata.name ?? ""
        if name.count > 63 { name = String(name.prefix(63)) }
        while name.hasSuffix("-") || name.hasSuffix(".") { name.removeLast() }
        return name
    }

    static func namespaceOptions(_ spec: PodSpec) -> Runtime_V1_NamespaceOption {
        var options = Runtime_V1_NamespaceOption()
        options.network = spec.hostNetwork == true ? .node : .pod
        options.ipc = spec.hostIPC == true ? .node : .pod
        if spec.hostPID == true {
            options.pid = .node
        } else {
            options.pid = spec.shareProcessNamespace == true ? .pod : .container
        }
        return options
    }

    static func supplementalGroups(_ security: PodSecurityContext?) -> [Int64] {
        var groups = security?.supplementalGroups ?? []
        if let fsGroup = security?.fsGroup, !groups.contains(fsGroup) { groups.append(fsGroup) }
        return groups
    }

    static func portMappings(_ spec: PodSpec) -> [Runtime_V1_PortMapping] {
        var mappings: [Runtime_V1_PortMapping] = []
        for container in allContainers(spec) {
            for port in container.ports ?? [] {
                guard let hostPort = port.hostPort, hostPort > 0 else { continue }
                var mapping = Runtime_V1_PortMapping()
                mapping.containerPort = port.containerPort
                mapping.hostPort = hostPort
                mapping.hostIp = port.hostIP ?? ""
                switch port.protocol ?? .tcp {
                case .udp: mapping.protocol = .udp
                case .sctp: mapping.protocol = .sctp
                default: mapping.protocol = .tcp
                }
                mappings.append(mapping)
            }
        }
        return mappings
    }
}
