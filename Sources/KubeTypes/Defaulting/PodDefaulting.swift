/// Defaulting of a Pod as the Kubernetes API server applies it on create (the `SetDefaults_*` functions of
/// `core/v1`, the name generator, and the pod strategy's `PrepareForCreate`).
///
/// Call `apply` before `PodValidation.validate`, as the API server does.
public enum PodDefaulting {
    /// The characters of generated name suffixes; vowels and easily confused characters are left out so that
    /// no words (or offensive ones) appear in names.
    public static let nameSuffixAlphabet = Array("bcdfghjklmnpqrstvwxz2456789")
    /// Length of the random suffix added to `generateName`.
    public static let nameSuffixLength = 5
    /// Longest prefix kept from `generateName`, so that prefix plus suffix stays a DNS-1123 label (63).
    public static let maxGeneratedNamePrefixLength = 63 - 5

    /// `prefix` (cut to 58 characters) followed by 5 random characters from `nameSuffixAlphabet`.
    public static func generateName(prefix: String) -> String {
        var generator = SystemRandomNumberGenerator()
        return generateName(prefix: prefix, using: &generator)
    }

    /// `generateName(prefix:)` with a caller-supplied random source (for reproducible tests).
    public static func generateName<R: RandomNumberGenerator>(prefix: String, using generator: inout R) -> String {
        var name = String(prefix.utf8.prefix(maxGeneratedNamePrefixLength)) ?? String(prefix.prefix(maxGeneratedNamePrefixLength))
        for _ in 0..<nameSuffixLength {
            name.append(nameSuffixAlphabet[Int.random(in: 0..<nameSuffixAlphabet.count, using: &generator)])
        }
        return name
    }

    /// Fills every default the API server fills on create:
    /// - metadata: `uid`, `creationTimestamp`, `namespace` (`default`), and `name` from `generateName`;
    /// - spec: `restartPolicy` Always, `terminationGracePeriodSeconds` 30, `dnsPolicy` ClusterFirst,
    ///   `schedulerName` default-scheduler, `securityContext` {}, `enableServiceLinks` true, `priority` 0,
    ///   `preemptionPolicy` PreemptLowerPriority, host ports under `hostNetwork`;
    /// - containers: `imagePullPolicy`, `terminationMessagePath`/`Policy`, port `protocol`, probe and HTTP
    ///   handler defaults, `fieldRef.apiVersion`, requests from limits;
    /// - volumes: an `emptyDir` when no source is given, `hostPath.type` "", file modes 0644;
    /// - status: reset to `phase` Pending with the computed `qosClass`.
    public static func apply(to pod: inout Pod, now: Time, uid: String) {
        var meta = pod.metadata
        if (meta.uid ?? "").isEmpty { meta.uid = uid }
        if meta.creationTimestamp == nil { meta.creationTimestamp = now }
        if (meta.namespace ?? "").isEmpty { meta.namespace = "default" }
        if (meta.name ?? "").isEmpty, let prefix = meta.generateName, !prefix.isEmpty {
            meta.name = generateName(prefix: prefix)
        }
        pod.metadata = meta
        applySpecDefaults(&pod.spec)
        pod.status = PodStatus(phase: .pending, qosClass: PodQOS.compute(pod.spec))
    }

    /// The spec defaults of `apply`, without touching metadata or status.
    public static func applySpecDefaults(_ spec: inout PodSpec) {
        if spec.restartPolicy == nil || spec.restartPolicy?.rawValue == "" { spec.restartPolicy = .always }
        if spec.terminationGracePeriodSeconds == nil { spec.terminationGracePeriodSeconds = 30 }
        if spec.dnsPolicy == nil || spec.dnsPolicy?.rawValue == "" { spec.dnsPolicy = .clusterFirst }
        if (spec.schedulerName ?? "").isEmpty { spec.schedulerName = "default-scheduler" }
        if spec.securityContext == nil { spec.securityContext = PodSecurityContext() }
        if spec.enableServiceLinks == nil { spec.enableServiceLinks = true }
        if spec.priority == nil { spec.priority = 0 }
        if spec.preemptionPolicy == nil { spec.preemptionPolicy = "PreemptLowerPriority" }
        let hostNetwork = spec.hostNetwork == true
        spec.containers = spec.containers.map { containerDefaults($0, hostNetwork: hostNetwork) }
        if let inits = spec.initContainers {
            spec.initContainers = inits.map { containerDefaults($0, hostNetwork: hostNetwork) }
        }
        if let volumes = spec.volumes {
            spec.volumes = volumes.map(volumeDefaults)
        }
    }

    static func containerDefaults(_ input: Container, hostNetwork: Bool) -> Container {
        var c = input
        if c.imagePullPolicy == nil || c.imagePullPolicy?.rawValue == "" {
            c.imagePullPolicy = ImageReference.tag(of: c.image ?? "") == "latest" ? .always : .ifNotPresent
        }
        if (c.terminationMessagePath ?? "").isEmpty { c.terminationMessagePath = "/dev/termination-log" }
        if c.terminationMessagePolicy == nil || c.terminationMessagePolicy?.rawValue == "" {
            c.terminationMessagePolicy = .file
        }
        c.ports = c.ports?.map { port in
            var p = port
            if p.protocol == nil || p.protocol?.rawValue == "" { p.protocol = .tcp }
            if hostNetwork, (p.hostPort ?? 0) == 0 { p.hostPort = p.containerPort }
            return p
        }
        c.env = c.env?.map { variable in
            var v = variable
            if var ref = v.valueFrom?.fieldRef {
                if (ref.apiVersion ?? "").isEmpty { ref.apiVersion = "v1" }
                v.valueFrom?.fieldRef = ref
            }
            return v
        }
        c.livenessProbe = c.livenessProbe.map(probeDefaults)
        c.readinessProbe = c.readinessProbe.map(probeDefaults)
        c.startupProbe = c.startupProbe.map(probeDefaults)
        if var lifecycle = c.lifecycle {
            lifecycle.postStart = lifecycle.postStart.map(handlerDefaults)
            lifecycle.preStop = lifecycle.preStop.map(handlerDefaults)
            c.lifecycle = lifecycle
        }
        // A limit without a request means the request equals the limit (SetDefaults_Pod).
        if var resources = c.resources, let limits = resources.limits, !limits.isEmpty {
            var requests = resources.requests ?? [:]
            for (name, limit) in limits where requests[name] == nil {
                requests[name] = limit
            }
            resources.requests = requests
            c.resources = resources
        }
        return c
    }

    static func probeDefaults(_ input: Probe) -> Probe {
        var p = input
        if (p.timeoutSeconds ?? 0) == 0 { p.timeoutSeconds = 1 }
        if (p.periodSeconds ?? 0) == 0 { p.periodSeconds = 10 }
        if (p.successThreshold ?? 0) == 0 { p.successThreshold = 1 }
        if (p.failureThreshold ?? 0) == 0 { p.failureThreshold = 3 }
        p.httpGet = p.httpGet.map(httpGetDefaults)
        return p
    }

    static func handlerDefaults(_ input: LifecycleHandler) -> LifecycleHandler {
        var h = input
        h.httpGet = h.httpGet.map(httpGetDefaults)
        return h
    }

    static func httpGetDefaults(_ input: HTTPGetAction) -> HTTPGetAction {
        var a = input
        if (a.path ?? "").isEmpty { a.path = "/" }
        if a.scheme == nil || a.scheme?.rawValue == "" { a.scheme = .http }
        return a
    }

    /// 0644, the default mode of projected files.
    static let defaultFileMode: Int64 = 0o644

    static func volumeDefaults(_ input: Volume) -> Volume {
        var v = input
        if PodValidator.sourceNames(v).isEmpty { v.emptyDir = EmptyDirVolumeSource() }
        if var hostPath = v.hostPath, hostPath.type == nil {
            hostPath.type = ""
            v.hostPath = hostPath
        }
        if var downward = v.downwardAPI {
            if downward.defaultMode == nil { downward.defaultMode = Int32(defaultFileMode) }
            downward.items = downward.items?.map { file in
                var f = file
                if var ref = f.fieldRef, (ref.apiVersion ?? "").isEmpty {
                    ref.apiVersion = "v1"
                    f.fieldRef = ref
                }
                return f
            }
            v.downwardAPI = downward
        }
        v.configMap = v.configMap.map { withMember($0, "defaultMode", .int(defaultFileMode)) }
        v.secret = v.secret.map { withMember($0, "defaultMode", .int(defaultFileMode)) }
        v.projected = v.projected.map { withMember($0, "defaultMode", .int(defaultFileMode)) }
        return v
    }

    /// `object` with `key` set to `value` when it is an object that lacks the key.
    static func withMember(_ object: JSONValue, _ key: String, _ value: JSONValue) -> JSONValue {
        guard case var .object(members) = object, !members.contains(where: { $0.key == key }) else { return object }
        members.append((key: key, value: value))
        return .object(members)
    }
}
