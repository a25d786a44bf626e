import CRI
import FoundationEssentials
import KubeTypes

/// Why a container config could not be built: reported as `CreateContainerConfigError` with this message.
struct ContainerConfigError: Error, Sendable, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// What the config of one container is built from, besides the pod.
struct ContainerBuildContext: Sendable {
    var container: Container
    var isInit: Bool
    var attempt: UInt32
    var paths: PodPaths
    var configuration: PodManagerConfiguration
    /// The pod IPs (for `status.podIP(s)` env).
    var podIPs: [String]
    /// The image's user as the runtime reports it (for `runAsNonRoot`).
    var imageUID: Int64?
    var imageUsername: String
    /// Volume mounts resolved to host paths, plus the termination-message file.
    var mounts: [Runtime_V1_Mount]
    var nodeMemory: Int64 = ContainerResources.nodeMemoryBytes()
    var nodeCPUs: Int64 = ContainerResources.nodeCPUs()
}

/// Builds the CRI container config as kubelet's `generateContainerConfig` does.
enum ContainerConfigBuilder {
    static func build(_ pod: Pod, _ context: ContainerBuildContext) throws(ContainerConfigError) -> Runtime_V1_ContainerConfig {
        let container = context.container
        var config = Runtime_V1_ContainerConfig()
        config.metadata.name = container.name
        config.metadata.attempt = context.attempt
        config.image.image = container.image ?? ""
        config.image.userSpecifiedImage = container.image ?? ""

        let env = try environment(pod, context)
        var envMap: [String: String] = [:]
        for (name, value) in env { envMap[name] = value }
        config.command = (container.command ?? []).map { EnvExpansion.expand($0) { envMap[$0] } }
        config.args = (container.args ?? []).map { EnvExpansion.expand($0) { envMap[$0] } }
        config.envs = env.map { name, value in
            var pair = Runtime_V1_KeyValue()
            pair.key = name
            pair.value = Data(value.utf8)
            return pair
        }
        config.workingDir = container.workingDir ?? ""
        config.mounts = context.mounts
        config.stdin = container.stdin ?? false
        config.stdinOnce = container.stdinOnce ?? false
        config.tty = container.tty ?? false
        config.logPath = "\(container.name)/\(context.attempt).log"

        var labels = SandboxConfigBuilder.ownLabels(context.paths, configuration: context.configuration)
        labels[RuntimeLabels.containerName] = container.name
        labels[RuntimeLabels.containerType] = context.isInit ? "init" : "app"
        config.labels = labels
        config.annotations = [
            RuntimeLabels.restartCount: String(context.attempt),
            RuntimeLabels.terminationMessagePath: container.terminationMessagePath ?? "/dev/termination-log",
            RuntimeLabels.terminationMessagePolicy: (container.terminationMessagePolicy ?? .file).rawValue,
            RuntimeLabels.terminationGracePeriod: String(pod.spec.terminationGracePeriodSeconds ?? 30),
        ]

        let qos = ContainerResources.qosClass(pod.spec)
        config.linux.resources = ContainerResources.linuxResources(container, qos: qos, memoryCapacity: context.nodeMemory)
        config.linux.securityContext = try securityContext(pod, context)
        return config
    }

    // MARK: Environment

    /// The container's environment in declaration order (a later duplicate replaces an earlier one in place),
    /// with `$(VAR)` in values expanded against the variables defined before them.
    static func environment(_ pod: Pod, _ context: ContainerBuildContext) throws(ContainerConfigError) -> [(String, String)] {
        let container = context.container
        var ordered: [(String, String)] = []
        var index: [String: Int] = [:]
        func set(_ name: String, _ value: String) {
            if let at = index[name] {
                ordered[at].1 = value
            } else {
                index[name] = ordered.count
                ordered.append((name, value))
            }
        }
        for source in container.envFrom ?? [] {
            if let ref = source.configMapRef, ref.optional != true {
                throw ContainerConfigError(message: "configmap \"\(ref.name ?? "")\" not found")
            }
            if let ref = source.secretRef, ref.optional != true {
                throw ContainerConfigError(message: "secret \"\(ref.name ?? "")\" not found")
            }
        }
        for variable in container.env ?? [] {
            if let value = variable.value {
                let expanded = EnvExpansion.expand(value) { name in index[name].map { ordered[$0].1 } }
                set(variable.name, expanded)
            } else if let source = variable.valueFrom {
                if let fieldRef = source.fieldRef {
                    set(variable.name, try fieldValue(fieldRef.fieldPath, pod: pod, context: context))
                } else if let resourceRef = source.resourceFieldRef {
                    set(variable.name, try resourceValue(resourceRef, pod: pod, context: context))
                } else if let ref = source.configMapKeyRef {
                    if ref.optional == true { continue }
                    throw ContainerConfigError(message: "configmap \"\(ref.name ?? "")\" not found")
                } else if let ref = source.secretKeyRef {
                    if ref.optional == true { continue }
                    throw ContainerConfigError(message: "secret \"\(ref.name ?? "")\" not found")
                } else {
                    throw ContainerConfigError(message: "env \(variable.name): unsupported valueFrom source")
                }
            } else {
                set(variable.name, "")
            }
        }
        return ordered
    }

    /// The value of a downward-API field path.
    static func fieldValue(_ path: String, pod: Pod, context: ContainerBuildContext) throws(ContainerConfigError) -> String {
        switch path {
        case "metadata.name": return pod.metadata.name ?? ""
        case "metadata.namespace": return context.paths.namespace
        case "metadata.uid": return pod.metadata.uid ?? ""
        case "spec.nodeName": return pod.spec.nodeName ?? context.configuration.nodeName
        case "spec.serviceAccountName": return pod.spec.serviceAccountName ?? ""
        case "status.podIP":
            return pod.spec.hostNetwork == true ? context.configuration.hostIP : (context.podIPs.first ?? "")
        case "status.podIPs":
            return pod.spec.hostNetwork == true ? context.configuration.hostIP : context.podIPs.joined(separator: ",")
        case "status.hostIP", "status.hostIPs": return context.configuration.hostIP
        case "metadata.labels": return formatMap(pod.metadata.labels ?? [:])
        case "metadata.annotations": return formatMap(pod.metadata.annotations ?? [:])
        default:
            for (prefix, map) in [("metadata.labels", pod.metadata.labels), ("metadata.annotations", pod.metadata.annotations)] {
                if path.hasPrefix(prefix + "['"), path.hasSuffix("']") {
                    let key = String(path.dropFirst(prefix.count + 2).dropLast(2))
                    return map?[key] ?? ""
                }
            }
            throw ContainerConfigError(message: "unsupported fieldPath: \(path)")
        }
    }

    /// `key="value"` lines sorted by key, as the downward API renders label and annotation maps.
    static func formatMap(_ map: [String: String]) -> String {
        map.keys.sorted().map { key in
            var escaped = ""
            // By scalar, so that a quote is escaped even when a combining mark follows it, and the "\n" of "\r\n".
            for scalar in (map[key] ?? "").unicodeScalars {
                switch scalar {
                case "\\": escaped += "\\\\"
                case "\n": escaped += "\\n"
                case "\"": escaped += "\\\""
                default: escaped.unicodeScalars.append(scalar)
                }
            }
            return "\(key)=\"\(escaped)\""
        }.joined(separator: "\n")
    }

    /// The value of a `resourceFieldRef`: limits default to the node's capacity, values round up by the divisor.
    static func resourceValue(
        _ ref: ResourceFieldSelector, pod: Pod, context: ContainerBuildContext
    ) throws(ContainerConfigError) -> String {
        let name = ref.containerName.flatMap { $0.isEmpty ? nil : $0 } ?? context.container.name
        guard let target = SandboxConfigBuilder.allContainers(pod.spec).first(where: { $0.name == name }) else {
            throw ContainerConfigError(message: "resourceFieldRef: no container named \(name)")
        }
        let divisor = ref.divisor.flatMap { $0.isZero ? nil : $0 }
        switch ref.resource {
        case "limits.cpu", "requests.cpu":
            let isLimit = ref.resource == "limits.cpu"
            let quantity = isLimit ? target.resources?.limits?["cpu"] : target.resources?.requests?["cpu"]
            let milli = quantity?.milliValue ?? (isLimit ? context.nodeCPUs * 1000 : 0)
            let divisorMilli = divisor?.milliValue ?? 1000
            return String(ceilDivide(milli, max(1, divisorMilli)))
        case "limits.memory", "requests.memory", "limits.ephemeral-storage", "requests.ephemeral-storage":
            let parts = ref.resource.split(separator: ".")
            let isLimit = parts[0] == "limits"
            let resource = String(parts[1])
            let quantity = isLimit ? target.resources?.limits?[resource] : target.resources?.requests?[resource]
            let fallback = isLimit && resource == "memory" ? context.nodeMemory : 0
            let value = quantity?.value ?? fallback
            return String(ceilDivide(value, max(1, divisor?.value ?? 1)))
        default:
            throw ContainerConfigError(message: "unsupported resourceFieldRef resource: \(ref.resource)")
        }
    }

    static func ceilDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        value >= 0 ? (value + divisor - 1) / divisor : value / divisor
    }

    // MARK: Security

    static func seccomp(_ profile: SeccompProfile, root: String) -> Runtime_V1_SecurityProfile? {
        var converted = Runtime_V1_SecurityProfile()
        switch profile.type {
        case "RuntimeDefault": converted.profileType = .runtimeDefault
        case "Unconfined": converted.profileType = .unconfined
        case "Localhost":
            converted.profileType = .localhost
            converted.localhostRef = "\(root)/seccomp/\(profile.localhostProfile ?? "")"
        default: return nil
        }
        return converted
    }

    static func securityContext(_ pod: Pod, _ context: ContainerBuildContext) throws(ContainerConfigError) -> Runtime_V1_LinuxContainerSecurityContext {
        let container = context.container
        let podSecurity = pod.spec.securityContext
        let security = container.securityContext
        var result = Runtime_V1_LinuxContainerSecurityContext()
        result.namespaceOptions = SandboxConfigBuilder.namespaceOptions(pod.spec)
        result.privileged = security?.privileged ?? false
        if let capabilities = security?.capabilities {
            result.capabilities.addCapabilities = capabilities.add ?? []
            result.capabilities.dropCapabilities = capabilities.drop ?? []
        }
        let user = security?.runAsUser ?? podSecurity?.runAsUser
        if let user { result.runAsUser.value = user }
        if let group = security?.runAsGroup ?? podSecurity?.runAsGroup { result.runAsGroup.value = group }
        result.supplementalGroups = SandboxConfigBuilder.supplementalGroups(podSecurity)
        result.readonlyRootfs = security?.readOnlyRootFilesystem ?? false
        result.noNewPrivs = security?.allowPrivilegeEscalation == false
        if let profile = security?.seccompProfile ?? podSecurity?.seccompProfile,
            let converted = seccomp(profile, root: context.configuration.rootDirectory)
        {
            result.seccomp = converted
        }
        if security?.runAsNonRoot ?? podSecurity?.runAsNonRoot ?? false {
            let podText = "\(pod.metadata.name ?? "")_\(context.paths.namespace)(\(context.paths.uid))"
            if let user {
                if user == 0 {
                    throw ContainerConfigError(message: "container's runAsUser breaks non-root policy (pod: \"\(podText)\", container: \(container.name))")
                }
            } else if let uid = context.imageUID {
                if uid == 0 {
                    throw ContainerConfigError(message: "container has runAsNonRoot and image will run as root (pod: \"\(podText)\", container: \(container.name))")
                }
            } else if !context.imageUsername.isEmpty {
                throw ContainerConfigError(message: "container has runAsNonRoot and image has non-numeric user (\(context.imageUsername)), cannot verify user is non-root (pod: \"\(podText)\", container: \(container.name))")
            } else {
                throw ContainerConfigError(message: "container has runAsNonRoot and image will run as root (pod: \"\(podText)\", container: \(container.name))")
            }
        }
        return result
    }
}
