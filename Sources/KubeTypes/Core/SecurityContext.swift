/// Container-level security attributes; they override the pod-level ones.
public struct SecurityContext: Codable, Sendable, Equatable {
    /// Capabilities to add and drop.
    public var capabilities: Capabilities?
    /// Run privileged.
    public var privileged: Bool?
    /// SELinux context; kept as given.
    public var seLinuxOptions: JSONValue?
    /// Windows options; kept as given.
    public var windowsOptions: JSONValue?
    /// UID to run as.
    public var runAsUser: Int64?
    /// GID to run as.
    public var runAsGroup: Int64?
    /// Refuse to start a container that would run as UID 0.
    public var runAsNonRoot: Bool?
    /// Mount the root filesystem read-only.
    public var readOnlyRootFilesystem: Bool?
    /// `false` sets no_new_privs.
    public var allowPrivilegeEscalation: Bool?
    /// `Default` or `Unmasked`.
    public var procMount: String?
    /// Seccomp profile.
    public var seccompProfile: SeccompProfile?
    /// AppArmor profile.
    public var appArmorProfile: AppArmorProfile?

    /// Creates a `SecurityContext`; every optional field defaults to absent.
    public init(
        capabilities: Capabilities? = nil,
        privileged: Bool? = nil,
        seLinuxOptions: JSONValue? = nil,
        windowsOptions: JSONValue? = nil,
        runAsUser: Int64? = nil,
        runAsGroup: Int64? = nil,
        runAsNonRoot: Bool? = nil,
        readOnlyRootFilesystem: Bool? = nil,
        allowPrivilegeEscalation: Bool? = nil,
        procMount: String? = nil,
        seccompProfile: SeccompProfile? = nil,
        appArmorProfile: AppArmorProfile? = nil
    ) {
        self.capabilities = capabilities
        self.privileged = privileged
        self.seLinuxOptions = seLinuxOptions
        self.windowsOptions = windowsOptions
        self.runAsUser = runAsUser
        self.runAsGroup = runAsGroup
        self.runAsNonRoot = runAsNonRoot
        self.readOnlyRootFilesystem = readOnlyRootFilesystem
        self.allowPrivilegeEscalation = allowPrivilegeEscalation
        self.procMount = procMount
        self.seccompProfile = seccompProfile
        self.appArmorProfile = appArmorProfile
    }

    enum CodingKeys: String, CodingKey {
        case capabilities
        case privileged
        case seLinuxOptions
        case windowsOptions
        case runAsUser
        case runAsGroup
        case runAsNonRoot
        case readOnlyRootFilesystem
        case allowPrivilegeEscalation
        case procMount
        case seccompProfile
        case appArmorProfile
    }
}

/// Linux capabilities to add to and drop from the default set.
public struct Capabilities: Codable, Sendable, Equatable {
    /// Capabilities to add, e.g. `NET_ADMIN`.
    public var add: [String]?
    /// Capabilities to drop, e.g. `ALL`.
    public var drop: [String]?

    /// Creates a `Capabilities`; every optional field defaults to absent.
    public init(add: [String]? = nil, drop: [String]? = nil) {
        self.add = add
        self.drop = drop
    }

    enum CodingKeys: String, CodingKey {
        case add
        case drop
    }
}

/// A seccomp profile.
public struct SeccompProfile: Codable, Sendable, Equatable {
    /// `RuntimeDefault`, `Unconfined` or `Localhost`.
    public var type: String
    /// Profile file, relative to the kubelet's seccomp directory, for `Localhost`.
    public var localhostProfile: String?

    /// Creates a `SeccompProfile`; every optional field defaults to absent.
    public init(type: String = "", localhostProfile: String? = nil) {
        self.type = type
        self.localhostProfile = localhostProfile
    }

    enum CodingKeys: String, CodingKey {
        case type
        case localhostProfile
    }
}

extension SeccompProfile {
    /// Decodes the Kubernetes JSON form; a required field that is absent takes its zero value, so that
    /// validation (not the decoder) reports it the way the API server does.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.type = try c.decodeIfPresent(String.self, forKey: .type) ?? ""
        self.localhostProfile = try c.decodeIfPresent(String.self, forKey: .localhostProfile)
    }
}

/// An AppArmor profile.
public struct AppArmorProfile: Codable, Sendable, Equatable {
    /// `RuntimeDefault`, `Unconfined` or `Localhost`.
    public var type: String
    /// Profile name for `Localhost`.
    public var localhostProfile: String?

    /// Creates a `AppArmorProfile`; every optional field defaults to absent.
    public init(type: String = "", localhostProfile: String? = nil) {
        self.type = type
        self.localhostProfile = localhostProfile
    }

    enum CodingKeys: String, CodingKey {
        case type
        case localhostProfile
    }
}

extension AppArmorProfile {
    /// Decodes the Kubernetes JSON form; a required field that is absent takes its zero value, so that
    /// validation (not the decoder) reports it the way the API server does.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.type = try c.decodeIfPresent(String.self, forKey: .type) ?? ""
        self.localhostProfile = try c.decodeIfPresent(String.self, forKey: .localhostProfile)
    }
}
