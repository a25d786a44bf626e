/// Pod-level security attributes.
public struct PodSecurityContext: Codable, Sendable, Equatable {
    /// SELinux context; kept as given.
    public var seLinuxOptions: JSONValue?
    /// Windows options; kept as given.
    public var windowsOptions: JSONValue?
    /// UID containers run as.
    public var runAsUser: Int64?
    /// GID containers run as.
    public var runAsGroup: Int64?
    /// Refuse containers that would run as UID 0.
    public var runAsNonRoot: Bool?
    /// Extra groups of the first process of every container.
    public var supplementalGroups: [Int64]?
    /// `Merge` or `Strict`.
    public var supplementalGroupsPolicy: String?
    /// Group that owns volumes and is added to every container.
    public var fsGroup: Int64?
    /// Namespaced sysctls set for the pod.
    public var sysctls: [Sysctl]?
    /// `OnRootMismatch` or `Always`.
    public var fsGroupChangePolicy: String?
    /// Seccomp profile of all containers.
    public var seccompProfile: SeccompProfile?
    /// AppArmor profile of all containers.
    public var appArmorProfile: AppArmorProfile?
    /// SELinux relabelling policy; kept as given.
    public var seLinuxChangePolicy: String?

    /// Creates a `PodSecurityContext`; every optional field defaults to absent.
    public init(
        seLinuxOptions: JSONValue? = nil,
        windowsOptions: JSONValue? = nil,
        runAsUser: Int64? = nil,
        runAsGroup: Int64? = nil,
        runAsNonRoot: Bool? = nil,
        supplementalGroups: [Int64]? = nil,
        supplementalGroupsPolicy: String? = nil,
        fsGroup: Int64? = nil,
        sysctls: [Sysctl]? = nil,
        fsGroupChangePolicy: String? = nil,
        seccompProfile: SeccompProfile? = nil,
        appArmorProfile: AppArmorProfile? = nil,
        seLinuxChangePolicy: String? = nil
    ) {
        self.seLinuxOptions = seLinuxOptions
        self.windowsOptions = windowsOptions
        self.runAsUser = runAsUser
        self.runAsGroup = runAsGroup
        self.runAsNonRoot = runAsNonRoot
        self.supplementalGroups = supplementalGroups
        self.supplementalGroupsPolicy = supplementalGroupsPolicy
        self.fsGroup = fsGroup
        self.sysctls = sysctls
        self.fsGroupChangePolicy = fsGroupChangePolicy
        self.seccompProfile = seccompProfile
        self.appArmorProfile = appArmorProfile
        self.seLinuxChangePolicy = seLinuxChangePolicy
    }

    enum CodingKeys: String, CodingKey {
        case seLinuxOptions
        case windowsOptions
        case runAsUser
        case runAsGroup
        case runAsNonRoot
        case supplementalGroups
        case supplementalGroupsPolicy
        case fsGroup
        case sysctls
        case fsGroupChangePolicy
        case seccompProfile
        case appArmorProfile
        case seLinuxChangePolicy
    }
}

/// A kernel parameter set for the pod.
public struct Sysctl: Codable, Sendable, Equatable {
    /// Parameter name, e.g. `net.ipv4.ip_local_port_range`.
    public var name: String
    /// Parameter value.
    public var value: String

    /// Creates a `Sysctl`; every optional field defaults to absent.
    public init(name: String = "", value: String = "") {
        self.name = name
        self.value = value
    }

    enum CodingKeys: String, CodingKey {
        case name
        case value
    }
}

extension Sysctl {
    /// Decodes the Kubernetes JSON form; a required field that is absent takes its zero value, so that
    /// validation (not the decoder) reports it the way the API server does.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.name = try c.decodeIfPresent(String.self, forKey: .name) ?? ""
        self.value = try c.decodeIfPresent(String.self, forKey: .value) ?? ""
    }
}
