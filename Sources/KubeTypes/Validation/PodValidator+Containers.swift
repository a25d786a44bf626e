extension PodValidator {
    mutating func validateContainers(
        _ containers: [Container], volumes: [String: Volume], restartPolicy: RestartPolicy?, grace: Int64?,
        path: ValidationPath
    ) {
        if containers.isEmpty { add(.required(path)) }
        var names = Set<String>()
        for (i, c) in containers.enumerated() {
            let p = path.index(i)
            validateContainerCommon(c, volumes: volumes, restartPolicy: restartPolicy, path: p)
            if !names.insert(c.name).inserted { add(.duplicate(p.child("name"), .string(c.name))) }
            validateProbe(c.livenessProbe, kind: .liveness, grace: grace, path: p.child("livenessProbe"))
            validateProbe(c.readinessProbe, kind: .readiness, grace: grace, path: p.child("readinessProbe"))
            validateProbe(c.startupProbe, kind: .startup, grace: grace, path: p.child("startupProbe"))
            if let lifecycle = c.lifecycle { validateLifecycle(lifecycle, grace: grace, path: p.child("lifecycle")) }
            if c.restartPolicy != nil {
                add(.forbidden(p.child("restartPolicy"), "may not be set for non-init containers"))
            }
        }
        validateHostPortConflicts(containers, path: path)
    }

    mutating func validateInitContainers(
        _ containers: [Container], regular: [Container], volumes: [String: Volume], restartPolicy: RestartPolicy?,
        grace: Int64?, path: ValidationPath
    ) {
        var names = Set(regular.map(\.name))
        for (i, c) in containers.enumerated() {
            let p = path.index(i)
            validateContainerCommon(c, volumes: volumes, restartPolicy: restartPolicy, path: p)
            var sidecar = false
            if let policy = c.restartPolicy {
                if policy != "Always" {
                    add(.notSupported(p.child("restartPolicy"), .string(policy), supported: ["Always"]))
                }
                sidecar = policy == "Always"
            }
            if names.contains(c.name) {
                add(.duplicate(p.child("name"), .string(c.name)))
            } else if !c.name.isEmpty {
                names.insert(c.name)
            }
            // Init containers run one at a time, so host ports only conflict within one container.
            validateHostPortConflicts([c], path: path)
            if sidecar {
                if let lifecycle = c.lifecycle { validateLifecycle(lifecycle, grace: grace, path: p.child("lifecycle")) }
                validateProbe(c.livenessProbe, kind: .liveness, grace: grace, path: p.child("livenessProbe"))
                validateProbe(c.readinessProbe, kind: .readiness, grace: grace, path: p.child("readinessProbe"))
                validateProbe(c.startupProbe, kind: .startup, grace: grace, path: p.child("startupProbe"))
            } else {
                let why = "may not be set for init containers without restartPolicy=Always"
                if c.lifecycle != nil { add(.forbidden(p.child("lifecycle"), why)) }
                if c.livenessProbe != nil { add(.forbidden(p.child("livenessProbe"), why)) }
                if c.readinessProbe != nil { add(.forbidden(p.child("readinessProbe"), why)) }
                if c.startupProbe != nil { add(.forbidden(p.child("startupProbe"), why)) }
            }
        }
    }

    mutating func validateContainerCommon(
        _ c: Container, volumes: [String: Volume], restartPolicy: RestartPolicy?, path: ValidationPath
    ) {
        if c.name.isEmpty {
            add(.required(path.child("name")))
        } else {
            addInvalid(path.child("name"), c.name, NameRules.dns1123Label(c.name))
        }
        let image = c.image ?? ""
        if image.isEmpty {
            add(.required(path.child("image")))
        } else if image != image.trimmingSpaces() {
            add(.invalid(path.child("image"), .string(image), "must not have leading or trailing whitespace"))
        }
        switch c.terminationMessagePolicy?.rawValue ?? "" {
        case "File", "FallbackToLogsOnError":
            break
        case "":
            add(.required(path.child("terminationMessagePolicy"), "must be 'File' or 'FallbackToLogsOnError'"))
        case let other:
            add(.notSupported(path.child("terminationMessagePolicy"), .string(other),
                              supported: TerminationMessagePolicy.supported.map(\.rawValue)))
        }
        validatePorts(c.ports ?? [], path: path.child("ports"))
        validateEnv(c.env ?? [], path: path.child("env"))
        validateEnvFrom(c.envFrom ?? [], path: path.child("envFrom"))
        validateVolumeMounts(c.volumeMounts ?? [], devices: c.volumeDevices ?? [], volumes: volumes, container: c,
                             path: path.child("volumeMounts"))
        validateVolumeDevices(c.volumeDevices ?? [], mounts: c.volumeMounts ?? [], volumes: volumes,
                              path: path.child("volumeDevices"))
        validateEnum(c.imagePullPolicy?.rawValue, PullPolicy.supported.map(\.rawValue), path.child("imagePullPolicy"))
        if let resources = c.resources { validateResources(resources, path: path.child("resources")) }
        validateResizePolicy(c.resizePolicy ?? [], restartPolicy: restartPolicy, path: path.child("resizePolicy"))
        validateSecurityContext(c.securityContext, path: path.child("securityContext"))
    }

    mutating func validatePorts(_ ports: [ContainerPort], path: ValidationPath) {
        var names = Set<String>()
        for (i, port) in ports.enumerated() {
            let p = path.index(i)
            if let name = port.name, !name.isEmpty {
                let messages = NameRules.portName(name)
                if !messages.isEmpty {
                    addInvalid(p.child("name"), name, messages)
                } else if !names.insert(name).inserted {
                    add(.duplicate(p.child("name"), .string(name)))
                }
            }
            if port.containerPort == 0 {
                add(.required(p.child("containerPort")))
            } else {
                for m in NameRules.portNumber(Int64(port.containerPort)) {
                    add(.invalid(p.child("containerPort"), .int(Int64(port.containerPort)), m))
                }
            }
            if let hostPort = port.hostPort, hostPort != 0 {
                for m in NameRules.portNumber(Int64(hostPort)) {
                    add(.invalid(p.child("hostPort"), .int(Int64(hostPort)), m))
                }
            }
            validateEnum(port.protocol?.rawValue, PortProtocol.supported.map(\.rawValue), p.child("protocol"))
        }
    }

    /// Two ports may not claim the same host IP, protocol and host port.
    mutating func validateHostPortConflicts(_ containers: [Container], path: ValidationPath) {
        var seen = Set<String>()
        for (i, c) in containers.enumerated() {
            for (j, port) in (c.ports ?? []).enumerated() {
                guard let hostPort = port.hostPort, hostPort != 0 else { continue }
                let key = "\(port.hostIP ?? "")/\(port.protocol?.rawValue ?? "")/\(hostPort)"
                if !seen.insert(key).inserted {
                    add(.duplicate(path.index(i).child("ports").index(j).child("hostPort"), .string(key)))
                }
            }
        }
    }

    mutating func validateEnv(_ env: [EnvVar], path: ValidationPath) {
        for (i, variable) in env.enumerated() {
            let p = path.index(i)
            if variable.name.isEmpty { add(.required(p.child("name"))) }
            addInvalid(p.child("name"), variable.name, NameRules.environmentVariableName(variable.name))
            guard let from = variable.valueFrom else { continue }
            let fp = p.child("valueFrom")
            var sources = 0
            if let ref = from.fieldRef {
                sources += 1
                validateObjectFieldSelector(ref, allowed: PodValidator.envFieldPaths, path: fp.child("fieldRef"))
            }
            if let ref = from.resourceFieldRef {
                sources += 1
                validateResourceFieldSelector(ref, volume: false, path: fp.child("resourceFieldRef"))
            }
            if let ref = from.configMapKeyRef {
                sources += 1
                validateKeySelector(name: ref.name, key: ref.key, path: fp.child("configMapKeyRef"))
            }
            if let ref = from.secretKeyRef {
                sources += 1
                validateKeySelector(name: ref.name, key: ref.key, path: fp.child("secretKeyRef"))
            }
            if let ref = from.fileKeyRef {
                sources += 1
                if ref.volumeName.isEmpty { add(.required(fp.child("fileKeyRef").child("volumeName"))) }
                if ref.path.isEmpty { add(.required(fp.child("fileKeyRef").child("path"))) }
                if ref.key.isEmpty { add(.required(fp.child("fileKeyRef").child("key"))) }
            }
            if sources == 0 {
                add(.invalid(fp, .string(""), "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`"))
            } else if !(variable.value ?? "").isEmpty {
                add(.invalid(fp, .string(""), "may not be specified when `value` is not empty"))
            } else if sources > 1 {
                add(.invalid(fp, .string(""), "may not have more than one field specified at a time"))
            }
        }
    }

    mutating func validateKeySelector(name: String?, key: String, path: ValidationPath) {
        let n = name ?? ""
        addInvalid(path.child("name"), n, NameRules.dns1123Subdomain(n))
        if key.isEmpty {
            add(.required(path.child("key")))
        } else {
            addInvalid(path.child("key"), key, NameRules.configMapKey(key))
        }
    }

    mutating func validateEnvFrom(_ sources: [EnvFromSource], path: ValidationPath) {
        for (i, source) in sources.enumerated() {
            let p = path.index(i)
            var count = 0
            if let prefix = source.prefix, !prefix.isEmpty {
                addInvalid(p.child("prefix"), prefix, NameRules.environmentVariableName(prefix))
            }
            if let ref = source.configMapRef {
                count += 1
                let n = ref.name ?? ""
                addInvalid(p.child("configMapRef").child("name"), n, NameRules.dns1123Subdomain(n))
            }
            if let ref = source.secretRef {
                count += 1
                let n = ref.name ?? ""
                addInvalid(p.child("secretRef").child("name"), n, NameRules.dns1123Subdomain(n))
            }
            if count == 0 {
                add(.invalid(p, .string(""), "must specify one of: `configMapRef` or `secretRef`"))
            } else if count > 1 {
                add(.invalid(p, .string(""), "may not have more than one field specified at a time"))
            }
        }
    }

    /// Field paths an environment variable may read (subscripted labels and annotations are allowed too).
    static let envFieldPaths = [
        "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName",
        "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs",
    ]
    /// Field paths a downward API volume file may read.
    static let volumeFieldPaths = [
        "metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid",
    ]

    mutating func validateObjectFieldSelector(_ ref: ObjectFieldSelector, allowed: [String], path: ValidationPath) {
        let version = ref.apiVersion ?? ""
        if version.isEmpty {
            add(.required(path.child("apiVersion")))
            return
        }
        if ref.fieldPath.isEmpty {
            add(.required(path.child("fieldPath")))
            return
        }
        if version != "v1" {
            add(.invalid(path.child("fieldPath"), .string(ref.fieldPath),
                         "error converting fieldPath: unsupported pod version: \(version)"))
            return
        }
        if let split = PodValidator.splitSubscript(ref.fieldPath) {
            let (base, mapKey) = split
            switch base {
            case "metadata.annotations":
                addInvalid(path, mapKey.lowercased(), NameRules.qualifiedName(mapKey.lowercased()))
            case "metadata.labels":
                addInvalid(path, mapKey, NameRules.qualifiedName(mapKey))
            default:
                add(.invalid(path, .string(base), "does not support subscript"))
            }
        } else if !allowed.contains(ref.fieldPath) {
            add(.notSupported(path.child("fieldPath"), .string(ref.fieldPath), supported: allowed))
        }
    }

    /// `metadata.labels['app']` → (`metadata.labels`, `app`).
    static func splitSubscript(_ path: String) -> (String, String)? {
        guard path.hasSuffix("']"), let open = path.firstRange(of: "['") else { return nil }
        let base = String(path[..<open.lowerBound])
        let key = String(path[open.upperBound..<path.index(path.endIndex, offsetBy: -2)])
        return (base, key)
    }

    static let resourceFieldPaths = [
        "limits.cpu", "limits.ephemeral-storage", "limits.memory",
        "requests.cpu", "requests.ephemeral-storage", "requests.memory",
    ]

    mutating func validateResourceFieldSelector(_ ref: ResourceFieldSelector, volume: Bool, path: ValidationPath) {
        if volume, (ref.containerName ?? "").isEmpty {
            add(.required(path.child("containerName")))
        } else if ref.resource.isEmpty {
            add(.required(path.child("resource")))
        } else if !PodValidator.resourceFieldPaths.contains(ref.resource),
                  !ref.resource.hasPrefix("limits.hugepages-"), !ref.resource.hasPrefix("requests.hugepages-") {
            add(.notSupported(path.child("resource"), .string(ref.resource), supported: PodValidator.resourceFieldPaths))
        }
        guard let divisor = ref.divisor, !divisor.isZero else { return }
        if ref.resource.hasSuffix(".cpu") {
            if divisor != Quantity(mantissa: 1), divisor != Quantity(milli: 1) {
                add(.invalid(path.child("divisor"), .string(divisor.description),
                             "only divisor's values 1m and 1 are supported with the cpu resource"))
            }
        } else if ref.resource.hasSuffix(".memory") || ref.resource.hasSuffix(".ephemeral-storage") {
            let allowed = ["1", "1k", "1M", "1G", "1T", "1P", "1E", "1Ki", "1Mi", "1Gi", "1Ti", "1Pi", "1Ei"]
            if !allowed.contains(where: { (try? Quantity(parsing: $0)) == divisor }) {
                let which = ref.resource.hasSuffix(".memory") ? "memory" : "local ephemeral storage"
                add(.invalid(path.child("divisor"), .string(divisor.description),
                             "only divisor's values 1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei are supported with the \(which) resource"))
            }
        }
    }

    mutating func validateResizePolicy(_ policies: [ContainerResizePolicy], restartPolicy: RestartPolicy?, path: ValidationPath) {
        var seen = Set<String>()
        for (i, policy) in policies.enumerated() {
            if !seen.insert(policy.resourceName).inserted {
                add(.duplicate(path.index(i), .string(policy.resourceName)))
            }
            switch policy.resourceName {
            case "cpu", "memory": break
            case "": add(.required(path.index(i)))
            default: add(.notSupported(path, .string(policy.resourceName), supported: ["cpu", "memory"]))
            }
            switch policy.restartPolicy {
            case "NotRequired", "RestartContainer": break
            case "": add(.required(path.index(i)))
            default:
                add(.notSupported(path, .string(policy.restartPolicy), supported: ["NotRequired", "RestartContainer"]))
            }
            if restartPolicy == .never, policy.restartPolicy != "NotRequired" {
                add(.invalid(path, .string(policy.restartPolicy), "must be 'NotRequired' when `restartPolicy` is 'Never'"))
            }
        }
    }
}
