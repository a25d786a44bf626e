/// A container of a pod (`v1.Container`), every field of current Kubernetes, in its order.
public struct Container: Codable, Sendable, Equatable {
    /// DNS-1123 label, unique among all containers of the pod.
    public var name: String
    /// Image reference.
    public var image: String?
    /// Entrypoint; replaces the image's ENTRYPOINT. `$(VAR)` references are expanded.
    public var command: [String]?
    /// Arguments; replace the image's CMD. `$(VAR)` references are expanded.
    public var args: [String]?
    /// Working directory.
    public var workingDir: String?
    /// Ports the container exposes.
    public var ports: [ContainerPort]?
    /// Sources of whole sets of environment variables.
    public var envFrom: [EnvFromSource]?
    /// Environment variables.
    public var env: [EnvVar]?
    /// Compute resources.
    public var resources: ResourceRequirements?
    /// How each resource is resized in place.
    public var resizePolicy: [ContainerResizePolicy]?
    /// Only `Always`, on an init container, which makes it a sidecar.
    public var restartPolicy: String?
    /// Per-exit-code restart rules; kept as given.
    public var restartPolicyRules: JSONValue?
    /// Volumes mounted into the container.
    public var volumeMounts: [VolumeMount]?
    /// Block devices exposed to the container.
    public var volumeDevices: [VolumeDevice]?
    /// Restarts the container when it fails.
    public var livenessProbe: Probe?
    /// Removes the pod from service while it fails.
    public var readinessProbe: Probe?
    /// Holds the other probes until it succeeds.
    public var startupProbe: Probe?
    /// postStart and preStop hooks.
    public var lifecycle: Lifecycle?
    /// File whose content becomes the termination message; defaults to `/dev/termination-log`.
    public var terminationMessagePath: String?
    /// `File` or `FallbackToLogsOnError`; defaults to `File`.
    public var terminationMessagePolicy: TerminationMessagePolicy?
    /// `Always`, `IfNotPresent` or `Never`; defaulted from the image tag.
    public var imagePullPolicy: PullPolicy?
    /// Container-level security attributes.
    public var securityContext: SecurityContext?
    /// Allocate a stdin buffer.
    public var stdin: Bool?
    /// Close stdin after the first attach ends.
    public var stdinOnce: Bool?
    /// Allocate a TTY.
    public var tty: Bool?

    /// Creates a `Container`; every optional field defaults to absent.
    public init(
        name: String = "",
        image: String? = nil,
        command: [String]? = nil,
        args: [String]? = nil,
        workingDir: String? = nil,
        ports: [ContainerPort]? = nil,
        envFrom: [EnvFromSource]? = nil,
        env: [EnvVar]? = nil,
        resources: ResourceRequirements? = nil,
        resizePolicy: [ContainerResizePolicy]? = nil,
        restartPolicy: String? = nil,
        restartPolicyRules: JSONValue? = nil,
        volumeMounts: [VolumeMount]? = nil,
        volumeDevices: [VolumeDevice]? = nil,
        livenessProbe: Probe? = nil,
        readinessProbe: Probe? = nil,
        startupProbe: Probe? = nil,
        lifecycle: Lifecycle? = nil,
        terminationMessagePath: String? = nil,
        terminationMessagePolicy: TerminationMessagePolicy? = nil,
        imagePullPolicy: PullPolicy? = nil,
        securityContext: SecurityContext? = nil,
        stdin: Bool? = nil,
        stdinOnce: Bool? = nil,
        tty: Bool? = nil
    ) {
        self.name = name
        self.image = image
        self.command = command
        self.args = args
        self.workingDir = workingDir
        self.ports = ports
        self.envFrom = envFrom
        self.env = env
        self.resources = resources
        self.resizePolicy = resizePolicy
        self.restartPolicy = restartPolicy
        self.restartPolicyRules = restartPolicyRules
        self.volumeMounts = volumeMounts
        self.volumeDevices = volumeDevices
        self.livenessProbe = livenessProbe
        self.readinessProbe = readinessProbe
        self.startupProbe = startupProbe
        self.lifecycle = lifecycle
        self.terminationMessagePath = terminationMessagePath
        self.terminationMessagePolicy = terminationMessagePolicy
        self.imagePullPolicy = imagePullPolicy
        self.securityContext = securityContext
        self.stdin = stdin
        self.stdinOnce = stdinOnce
        self.tty = tty
    }

    enum CodingKeys: String, CodingKey {
        case name
        case image
        case command
        case args
        case workingDir
        case ports
        case envFrom
        case env
        case resources
        case resizePolicy
        case restartPolicy
        case restartPolicyRules
        case volumeMounts
        case volumeDevices
        case livenessProbe
        case readinessProbe
        case startupProbe
        case lifecycle
        case terminationMessagePath
        case terminationMessagePolicy
        case imagePullPolicy
        case securityContext
        case stdin
        case stdinOnce
        case tty
    }
}

extension Container {
    /// Decodes the Kubernetes JSON form; a required field that is absent takes its zero value, so that
    /// validation (not the decoder) reports it the way the API server does.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.name = try c.decodeIfPresent(String.self, forKey: .name) ?? ""
        self.image = try c.decodeIfPresent(String.self, forKey: .image)
        self.command = try c.decodeIfPresent([String].self, forKey: .command)
        self.args = try c.decodeIfPresent([String].self, forKey: .args)
        self.workingDir = try c.decodeIfPresent(String.self, forKey: .workingDir)
        self.ports = try c.decodeIfPresent([ContainerPort].self, forKey: .ports)
        self.envFrom = try c.decodeIfPresent([EnvFromSource].self, forKey: .envFrom)
        self.env = try c.decodeIfPresent([EnvVar].self, forKey: .env)
        self.resources = try c.decodeIfPresent(ResourceRequirements.self, forKey: .resources)
        self.resizePolicy = try c.decodeIfPresent([ContainerResizePolicy].self, forKey: .resizePolicy)
        self.restartPolicy = try c.decodeIfPresent(String.self, forKey: .restartPolicy)
        self.restartPolicyRules = try c.decodeIfPresent(JSONValue.self, forKey: .restartPolicyRules)
        self.volumeMounts = try c.decodeIfPresent([VolumeMount].self, forKey: .volumeMounts)
        self.volumeDevices = try c.decodeIfPresent([VolumeDevice].self, forKey: .volumeDevices)
        self.livenessProbe = try c.decodeIfPresent(Probe.self, forKey: .livenessProbe)
        self.readinessProbe = try c.decodeIfPresent(Probe.self, forKey: .readinessProbe)
        self.startupProbe = try c.decodeIfPresent(Probe.self, forKey: .startupProbe)
        self.lifecycle = try c.decodeIfPresent(Lifecycle.self, forKey: .lifecycle)
        self.terminationMessagePath = try c.decodeIfPresent(String.self, forKey: .terminationMessagePath)
        self.terminationMessagePolicy = try c.decodeIfPresent(TerminationMessagePolicy.self, forKey: .terminationMessagePolicy)
        self.imagePullPolicy = try c.decodeIfPresent(PullPolicy.self, forKey: .imagePullPolicy)
        self.securityContext = try c.decodeIfPresent(SecurityContext.self, forKey: .securityContext)
        self.stdin = try c.decodeIfPresent(Bool.self, forKey: .stdin)
        self.stdinOnce = try c.decodeIfPresent(Bool.self, forKey: .stdinOnce)
        self.tty = try c.decodeIfPresent(Bool.self, forKey: .tty)
    }
}
