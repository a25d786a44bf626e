/// Desired state of a pod (`v1.PodSpec`), every field of current Kubernetes, in its order.
public struct PodSpec: Codable, Sendable, Equatable {
    /// Volumes the containers can mount.
    public var volumes: [Volume]?
    /// Containers run in order before the app containers; `restartPolicy: Always` makes a sidecar.
    public var initContainers: [Container]?
    /// The app containers; at least one is required.
    public var containers: [Container]
    /// Debugging containers; kept as given (this node does not run them).
    public var ephemeralContainers: JSONValue?
    /// `Always`, `OnFailure` or `Never`; defaults to `Always`.
    public var restartPolicy: RestartPolicy?
    /// Seconds between SIGTERM and SIGKILL on deletion; defaults to 30.
    public var terminationGracePeriodSeconds: Int64?
    /// Seconds the pod may be active before it is failed with `DeadlineExceeded`.
    public var activeDeadlineSeconds: Int64?
    /// How the pod's DNS is configured; defaults to `ClusterFirst`.
    public var dnsPolicy: DNSPolicy?
    /// Node labels the pod requires; kept as given.
    public var nodeSelector: [String: String]?
    /// Service account the pod runs as.
    public var serviceAccountName: String?
    /// Deprecated alias of `serviceAccountName`.
    public var serviceAccount: String?
    /// Whether a service account token is mounted.
    public var automountServiceAccountToken: Bool?
    /// Node the pod is bound to.
    public var nodeName: String?
    /// Use the host's network namespace.
    public var hostNetwork: Bool?
    /// Use the host's PID namespace.
    public var hostPID: Bool?
    /// Use the host's IPC namespace.
    public var hostIPC: Bool?
    /// One PID namespace shared by all containers of the pod.
    public var shareProcessNamespace: Bool?
    /// Pod-level security attributes; defaults to `{}`.
    public var securityContext: PodSecurityContext?
    /// Secrets used to pull images.
    public var imagePullSecrets: [LocalObjectReference]?
    /// Hostname of the pod; defaults to the pod name.
    public var hostname: String?
    /// Subdomain; the FQDN becomes `<hostname>.<subdomain>.<namespace>.svc.<cluster-domain>`.
    public var subdomain: String?
    /// Scheduling constraints; kept as given.
    public var affinity: JSONValue?
    /// Scheduler that placed the pod; defaults to `default-scheduler`.
    public var schedulerName: String?
    /// Tolerations; kept as given.
    public var tolerations: JSONValue?
    /// Extra `/etc/hosts` entries.
    public var hostAliases: [HostAlias]?
    /// Name of the pod's priority class.
    public var priorityClassName: String?
    /// Priority value; 0 when no priority class resolves it.
    public var priority: Int32?
    /// DNS parameters merged into the generated configuration.
    public var dnsConfig: PodDNSConfig?
    /// Extra conditions that gate readiness.
    public var readinessGates: [PodReadinessGate]?
    /// Runtime class (CRI runtime handler) to run the pod with.
    public var runtimeClassName: String?
    /// Inject service environment variables; defaults to true.
    public var enableServiceLinks: Bool?
    /// `PreemptLowerPriority` or `Never`.
    public var preemptionPolicy: String?
    /// Resource overhead of the pod's runtime class.
    public var overhead: ResourceList?
    /// Spread constraints; kept as given.
    public var topologySpreadConstraints: JSONValue?
    /// Set the kernel hostname to the FQDN.
    public var setHostnameAsFQDN: Bool?
    /// Operating system the pod needs.
    public var os: PodOS?
    /// `false` runs the pod in a user namespace.
    public var hostUsers: Bool?
    /// Gates that block scheduling; kept as given.
    public var schedulingGates: JSONValue?
    /// Dynamic resource claims; kept as given.
    public var resourceClaims: JSONValue?
    /// Pod-level resource requirements.
    public var resources: ResourceRequirements?
    /// Explicit hostname for the pod.
    public var hostnameOverride: String?
    /// Reference to a workload (gang scheduling); kept as given.
    public var workloadRef: JSONValue?
    /// Scheduling group membership; kept as given.
    public var schedulingGroup: JSONValue?
    /// Eviction responders; kept as given.
    public var evictionResponders: JSONValue?

    /// Creates a `PodSpec`; every optional field defaults to absent.
    public init(
        volumes: [Volume]? = nil,
        initContainers: [Container]? = nil,
        containers: [Container] = [],
        ephemeralContainers: JSONValue? = nil,
        restartPolicy: RestartPolicy? = nil,
        terminationGracePeriodSeconds: Int64? = nil,
        activeDeadlineSeconds: Int64? = nil,
        dnsPolicy: DNSPolicy? = nil,
        nodeSelector: [String: String]? = nil,
        serviceAccountName: String? = nil,
        serviceAccount: String? = nil,
        automountServiceAccountToken: Bool? = nil,
        nodeName: String? = nil,
        hostNetwork: Bool? = nil,
        hostPID: Bool? = nil,
        hostIPC: Bool? = nil,
        shareProcessNamespace: Bool? = nil,
        securityContext: PodSecurityContext? = nil,
        imagePullSecrets: [LocalObjectReference]? = nil,
        hostname: String? = nil,
        subdomain: String? = nil,
        affinity: JSONValue? = nil,
        schedulerName: String? = nil,
        tolerations: JSONValue? = nil,
        hostAliases: [HostAlias]? = nil,
        priorityClassName: String? = nil,
        priority: Int32? = nil,
        dnsConfig: PodDNSConfig? = nil,
        readinessGates: [PodReadinessGate]? = nil,
        runtimeClassName: String? = nil,
        enableServiceLinks: Bool? = nil,
        preemptionPolicy: String? = nil,
        overhead: ResourceList? = nil,
        topologySpreadConstraints: JSONValue? = nil,
        setHostnameAsFQDN: Bool? = nil,
        os: PodOS? = nil,
        hostUsers: Bool? = nil,
        schedulingGates: JSONValue? = nil,
        resourceClaims: JSONValue? = nil,
        resources: ResourceRequirements? = nil,
        hostnameOverride: String? = nil,
        workloadRef: JSONValue? = nil,
        schedulingGroup: JSONValue? = nil,
        evictionResponders: JSONValue? = nil
    ) {
        self.volumes = volumes
        self.initContainers = initContainers
        self.containers = containers
        self.ephemeralContainers = ephemeralContainers
        self.restartPolicy = restartPolicy
        self.terminationGracePeriodSeconds = terminationGracePeriodSeconds
        self.activeDeadlineSeconds = activeDeadlineSeconds
        self.dnsPolicy = dnsPolicy
        self.nodeSelector = nodeSelector
        self.serviceAccountName = serviceAccountName
        self.serviceAccount = serviceAccount
        self.automountServiceAccountToken = automountServiceAccountToken
        self.nodeName = nodeName
        self.hostNetwork = hostNetwork
        self.hostPID = hostPID
        self.hostIPC = hostIPC
        self.shareProcessNamespace = shareProcessNamespace
        self.securityContext = securityContext
        self.imagePullSecrets = imagePullSecrets
        self.hostname = hostname
        self.subdomain = subdomain
        self.affinity = affinity
        self.schedulerName = schedulerName
        self.tolerations = tolerations
        self.hostAliases = hostAliases
        self.priorityClassName = priorityClassName
        self.priority = priority
        self.dnsConfig = dnsConfig
        self.readinessGates = readinessGates
        self.runtimeClassName = runtimeClassName
        self.enableServiceLinks = enableServiceLinks
        self.preemptionPolicy = preemptionPolicy
        self.overhead = overhead
        self.topologySpreadConstraints = topologySpreadConstraints
        self.setHostnameAsFQDN = setHostnameAsFQDN
        self.os = os
        self.hostUsers = hostUsers
        self.schedulingGates = schedulingGates
        self.resourceClaims = resourceClaims
        self.resources = resources
        self.hostnameOverride = hostnameOverride
        self.workloadRef = workloadRef
        self.schedulingGroup = schedulingGroup
        self.evictionResponders = evictionResponders
    }

    enum CodingKeys: String, CodingKey {
        case volumes
        case initContainers
        case containers
        case ephemeralContainers
        case restartPolicy
        case terminationGracePeriodSeconds
        case activeDeadlineSeconds
        case dnsPolicy
        case nodeSelector
        case serviceAccountName
        case serviceAccount
        case automountServiceAccountToken
        case nodeName
        case hostNetwork
        case hostPID
        case hostIPC
        case shareProcessNamespace
        case securityContext
        case imagePullSecrets
        case hostname
        case subdomain
        case affinity
        case schedulerName
        case tolerations
        case hostAliases
        case priorityClassName
        case priority
        case dnsConfig
        case readinessGates
        case runtimeClassName
        case enableServiceLinks
        case preemptionPolicy
        case overhead
        case topologySpreadConstraints
        case setHostnameAsFQDN
        case os
        case hostUsers
        case schedulingGates
        case resourceClaims
        case resources
        case hostnameOverride
        case workloadRef
        case schedulingGroup
        case evictionResponders
    }
}

extension PodSpec {
    /// Decodes the Kubernetes JSON form; a required field that is absent takes its zero value, so that
    /// validation (not the decoder) reports it the way the API server does.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.volumes = try c.decodeIfPresent([Volume].self, forKey: .volumes)
        self.initContainers = try c.decodeIfPresent([Container].self, forKey: .initContainers)
        self.containers = try c.decodeIfPresent([Container].self, forKey: .containers) ?? []
        self.ephemeralContainers = try c.decodeIfPresent(JSONValue.self, forKey: .ephemeralContainers)
        self.restartPolicy = try c.decodeIfPresent(RestartPolicy.self, forKey: .restartPolicy)
        self.terminationGracePeriodSeconds = try c.decodeIfPresent(Int64.self, forKey: .terminationGracePeriodSeconds)
        self.activeDeadlineSeconds = try c.decodeIfPresent(Int64.self, forKey: .activeDeadlineSeconds)
        self.dnsPolicy = try c.decodeIfPresent(DNSPolicy.self, forKey: .dnsPolicy)
        self.nodeSelector = try c.decodeIfPresent([String: String].self, forKey: .nodeSelector)
        self.serviceAccountName = try c.decodeIfPresent(String.self, forKey: .serviceAccountName)
        self.serviceAccount = try c.decodeIfPresent(String.self, forKey: .serviceAccount)
        self.automountServiceAccountToken = try c.decodeIfPresent(Bool.self, forKey: .automountServiceAccountToken)
        self.nodeName = try c.decodeIfPresent(String.self, forKey: .nodeName)
        self.hostNetwork = try c.decodeIfPresent(Bool.self, forKey: .hostNetwork)
        self.hostPID = try c.decodeIfPresent(Bool.self, forKey: .hostPID)
        self.hostIPC = try c.decodeIfPresent(Bool.self, forKey: .hostIPC)
        self.shareProcessNamespace = try c.decodeIfPresent(Bool.self, forKey: .shareProcessNamespace)
        self.securityContext = try c.decodeIfPresent(PodSecurityContext.self, forKey: .securityContext)
        self.imagePullSecrets = try c.decodeIfPresent([LocalObjectReference].self, forKey: .imagePullSecrets)
        self.hostname = try c.decodeIfPresent(String.self, forKey: .hostname)
        self.subdomain = try c.decodeIfPresent(String.self, forKey: .subdomain)
        self.affinity = try c.decodeIfPresent(JSONValue.self, forKey: .affinity)
        self.schedulerName = try c.decodeIfPresent(String.self, forKey: .schedulerName)
        self.tolerations = try c.decodeIfPresent(JSONValue.self, forKey: .tolerations)
        self.hostAliases = try c.decodeIfPresent([HostAlias].self, forKey: .hostAliases)
        self.priorityClassName = try c.decodeIfPresent(String.self, forKey: .priorityClassName)
        self.priority = try c.decodeIfPresent(Int32.self, forKey: .priority)
        self.dnsConfig = try c.decodeIfPresent(PodDNSConfig.self, forKey: .dnsConfig)
        self.readinessGates = try c.decodeIfPresent([PodReadinessGate].self, forKey: .readinessGates)
        self.runtimeClassName = try c.decodeIfPresent(String.self, forKey: .runtimeClassName)
        self.enableServiceLinks = try c.decodeIfPresent(Bool.self, forKey: .enableServiceLinks)
        self.preemptionPolicy = try c.decodeIfPresent(String.self, forKey: .preemptionPolicy)
        self.overhead = try c.decodeIfPresent(ResourceList.self, forKey: .overhead)
        self.topologySpreadConstraints = try c.decodeIfPresent(JSONValue.self, forKey: .topologySpreadConstraints)
        self.setHostnameAsFQDN = try c.decodeIfPresent(Bool.self, forKey: .setHostnameAsFQDN)
        self.os = try c.decodeIfPresent(PodOS.self, forKey: .os)
        self.hostUsers = try c.decodeIfPresent(Bool.self, forKey: .hostUsers)
        self.schedulingGates = try c.decodeIfPresent(JSONValue.self, forKey: .schedulingGates)
        self.resourceClaims = try c.decodeIfPresent(JSONValue.self, forKey: .resourceClaims)
        self.resources = try c.decodeIfPresent(ResourceRequirements.self, forKey: .resources)
        self.hostnameOverride = try c.decodeIfPresent(String.self, forKey: .hostnameOverride)
        self.workloadRef = try c.decodeIfPresent(JSONValue.self, forKey: .workloadRef)
        self.schedulingGroup = try c.decodeIfPresent(JSONValue.self, forKey: .schedulingGroup)
        self.evictionResponders = try c.decodeIfPresent(JSONValue.self, forKey: .evictionResponders)
    }
}
