/// Validation of a Pod as the Kubernetes API server validates it on create.
///
/// Every problem is reported at once, with apimachinery's field paths, error types and wording. Validate the pod
/// *after* `PodDefaulting.apply(to:now:uid:)`, exactly as the API server does: enum fields that defaulting fills
/// (`restartPolicy`, `dnsPolicy`, `imagePullPolicy`, `terminationMessagePolicy`, port `protocol`) are reported as
/// `Required value` when absent.
public enum PodValidation {
    /// All problems of `pod`, in a stable order; empty when the pod is valid.
    public static func validate(_ pod: Pod) -> [FieldError] {
        var v = PodValidator()
        v.validateMetadata(pod.metadata)
        v.validateSpec(pod.spec)
        return v.errors
    }
}

/// Accumulates field errors while walking a pod.
struct PodValidator {
    var errors: [FieldError] = []

    mutating func add(_ error: FieldError) {
        errors.append(error)
    }

    mutating func addInvalid(_ path: ValidationPath, _ value: String, _ messages: [String]) {
        for m in messages { add(.invalid(path, .string(value), m)) }
    }

    mutating func nonNegative(_ value: Int64?, _ path: ValidationPath) {
        if let value, value < 0 { add(.invalid(path, .int(value), "must be greater than or equal to 0")) }
    }

    // MARK: metadata

    mutating func validateMetadata(_ meta: ObjectMeta) {
        let path = ValidationPath("metadata")
        let name = meta.name ?? ""
        let generateName = meta.generateName ?? ""
        if !generateName.isEmpty {
            addInvalid(path.child("generateName"), generateName,
                       NameRules.dns1123Subdomain(NameRules.maskTrailingDash(generateName)))
        }
        if name.isEmpty {
            if generateName.isEmpty { add(.required(path.child("name"), "name or generateName is required")) }
        } else {
            addInvalid(path.child("name"), name, NameRules.dns1123Subdomain(name))
        }
        let namespace = meta.namespace ?? ""
        if namespace.isEmpty {
            add(.required(path.child("namespace")))
        } else {
            addInvalid(path.child("namespace"), namespace, NameRules.dns1123Label(namespace))
        }
        nonNegative(meta.generation, path.child("generation"))
        validateLabels(meta.labels, path.child("labels"))
        if let annotations = meta.annotations {
            var total = 0
            for key in annotations.keys.sorted() {
                addInvalid(path.child("annotations"), key, NameRules.qualifiedName(key.lowercased()))
                total += key.utf8.count + (annotations[key]?.utf8.count ?? 0)
            }
            if total > 256 * 1024 { add(.tooLong(path.child("annotations"), maxLength: 256 * 1024)) }
        }
        for (i, ref) in (meta.ownerReferences ?? []).enumerated() {
            let p = path.child("ownerReferences").index(i)
            if ref.apiVersion.isEmpty { add(.invalid(p.child("apiVersion"), .string(ref.apiVersion), "version must not be empty")) }
            if ref.kind.isEmpty { add(.invalid(p.child("kind"), .string(ref.kind), "kind must not be empty")) }
            if ref.name.isEmpty { add(.invalid(p.child("name"), .string(ref.name), "name must not be empty")) }
            if ref.uid.isEmpty { add(.invalid(p.child("uid"), .string(ref.uid), "uid must not be empty")) }
        }
    }

    /// Label keys must be qualified names and values valid label values; errors name the map, not the key,
    /// as apimachinery's `ValidateLabels` does.
    mutating func validateLabels(_ labels: [String: String]?, _ path: ValidationPath) {
        guard let labels else { return }
        for key in labels.keys.sorted() {
            addInvalid(path, key, NameRules.qualifiedName(key))
            let value = labels[key] ?? ""
            addInvalid(path, value, NameRules.labelValue(value))
        }
    }

    // MARK: spec

    mutating func validateSpec(_ spec: PodSpec) {
        let path = ValidationPath("spec")
        let volumes = validateVolumes(spec.volumes ?? [], path.child("volumes"))
        let grace = spec.terminationGracePeriodSeconds
        validateContainers(spec.containers, volumes: volumes, restartPolicy: spec.restartPolicy, grace: grace,
                           path: path.child("containers"))
        validateInitContainers(spec.initContainers ?? [], regular: spec.containers, volumes: volumes,
                               restartPolicy: spec.restartPolicy, grace: grace, path: path.child("initContainers"))
        if let ephemeral = spec.ephemeralContainers, ephemeral != .array([]), ephemeral != .null {
            add(.forbidden(path.child("ephemeralContainers"), "cannot be set on create"))
        }
        validateEnum(spec.restartPolicy?.rawValue, RestartPolicy.supported.map(\.rawValue), path.child("restartPolicy"))
        validateEnum(spec.dnsPolicy?.rawValue, DNSPolicy.supported.map(\.rawValue), path.child("dnsPolicy"))
        validateLabels(spec.nodeSelector, path.child("nodeSelector"))
        validatePodSecurityContext(spec.securityContext, path.child("securityContext"))
        if spec.hostNetwork == true {
            validateHostNetworkPorts(spec.containers, path.child("containers"))
            validateHostNetworkPorts(spec.initContainers ?? [], path.child("initContainers"))
        }
        validateDNSConfig(spec.dnsConfig, policy: spec.dnsPolicy, path: path.child("dnsConfig"))
        for (i, gate) in (spec.readinessGates ?? []).enumerated() {
            addInvalid(path.child("readinessGates").index(i).child("conditionType"), gate.conditionType,
                       NameRules.qualifiedName(gate.conditionType))
        }
        if let sa = spec.serviceAccountName, !sa.isEmpty {
            addInvalid(path.child("serviceAccountName"), sa, NameRules.dns1123Subdomain(sa))
        }
        if let node = spec.nodeName, !node.isEmpty {
            addInvalid(path.child("nodeName"), node, NameRules.dns1123Subdomain(node))
        }
        if let deadline = spec.activeDeadlineSeconds, deadline < 1 || deadline > Int64(Int32.max) {
            add(.invalid(path.child("activeDeadlineSeconds"), .int(deadline),
                         NameRules.inclusiveRangeError(1, Int64(Int32.max))))
        }
        nonNegative(grace, path.child("terminationGracePeriodSeconds"))
        if let hostname = spec.hostname, !hostname.isEmpty {
            addInvalid(path.child("hostname"), hostname, NameRules.dns1123Label(hostname))
        }
        if let subdomain = spec.subdomain, !subdomain.isEmpty {
            addInvalid(path.child("subdomain"), subdomain, NameRules.dns1123Label(subdomain))
        }
        for (i, alias) in (spec.hostAliases ?? []).enumerated() {
            let p = path.child("hostAliases").index(i)
            let ip = alias.ip ?? ""
            if !NameRules.isIPAddress(ip) {
                add(.invalid(p.child("ip"), .string(ip), "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"))
            }
            for (j, name) in (alias.hostnames ?? []).enumerated() {
                addInvalid(p.child("hostnames").index(j), name, NameRules.dns1123Subdomain(name))
            }
        }
        if let pc = spec.priorityClassName, !pc.isEmpty {
            addInvalid(path.child("priorityClassName"), pc, NameRules.dns1123Subdomain(pc))
        }
        if let rc = spec.runtimeClassName {
            addInvalid(path.child("runtimeClassName"), rc, NameRules.dns1123Subdomain(rc))
        }
        if let pp = spec.preemptionPolicy, pp != "PreemptLowerPriority", pp != "Never" {
            add(.notSupported(path.child("preemptionPolicy"), .string(pp), supported: ["PreemptLowerPriority", "Never"]))
        }
        if let os = spec.os, os.name != "linux", os.name != "windows" {
            add(.notSupported(path.child("os").child("name"), .string(os.name), supported: ["linux", "windows"]))
        }
    }

    /// A required enum: absent is `Required value`, unknown is `Unsupported value` with the supported list.
    mutating func validateEnum(_ value: String?, _ supported: [String], _ path: ValidationPath) {
        let v = value ?? ""
        if v.isEmpty {
            add(.required(path))
        } else if !supported.contains(v) {
            add(.notSupported(path, .string(v), supported: supported))
        }
    }

    mutating func validateHostNetworkPorts(_ containers: [Container], _ path: ValidationPath) {
        for (i, c) in containers.enumerated() {
            for (j, port) in (c.ports ?? []).enumerated() where (port.hostPort ?? 0) != port.containerPort {
                add(.invalid(path.index(i).child("ports").index(j).child("containerPort"), .int(Int64(port.containerPort)),
                             "must match `hostPort` when `hostNetwork` is true"))
            }
        }
    }

    mutating func validateDNSConfig(_ config: PodDNSConfig?, policy: DNSPolicy?, path: ValidationPath) {
        if policy == DNSPolicy.none {
            guard let config else {
                add(.required(path, "must provide `dnsConfig` when `dnsPolicy` is None"))
                return
            }
            if (config.nameservers ?? []).isEmpty {
                add(.required(path.child("nameservers"), "must provide at least one DNS nameserver when `dnsPolicy` is None"))
                return
            }
        }
        guard let config else { return }
        let nameservers = config.nameservers ?? []
        if nameservers.count > 3 {
            add(.invalid(path.child("nameservers"), .json(jsonList(nameservers)), "must not have more than 3 nameservers"))
        }
        for (i, ns) in nameservers.enumerated() where !NameRules.isIPAddress(ns) {
            add(.invalid(path.child("nameservers").index(i), .string(ns),
                         "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"))
        }
        let searches = config.searches ?? []
        if searches.count > 32 {
            add(.invalid(path.child("searches"), .json(jsonList(searches)), "must not have more than 32 search paths"))
        }
        if searches.joined(separator: " ").utf8.count > 2048 {
            add(.invalid(path.child("searches"), .json(jsonList(searches)),
                         "must not have more than 2048 characters (including spaces) in the search list"))
        }
        for (i, search) in searches.enumerated() {
            if i == searches.count - 1, search == "." { continue }
            let trimmed = search.hasSuffix(".") ? String(search.dropLast()) : search
            addInvalid(path.child("searches").index(i), trimmed, NameRules.dns1123Subdomain(trimmed))
        }
        for (i, option) in (config.options ?? []).enumerated() where (option.name ?? "").isEmpty {
            add(.required(path.child("options").index(i), "Option.Name must not be empty"))
        }
    }

    func jsonList(_ items: [String]) -> String {
        "[" + items.map(quoted).joined(separator: ",") + "]"
    }
}
