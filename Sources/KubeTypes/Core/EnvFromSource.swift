/// A set of environment variables taken from a config map or a secret.
public struct EnvFromSource: Codable, Sendable, Equatable {
    /// Prefix added to every variable name.
    public var prefix: String?
    /// The config map to read.
    public var configMapRef: ConfigMapEnvSource?
    /// The secret to read.
    public var secretRef: SecretEnvSource?

    /// Creates a `EnvFromSource`; every optional field defaults to absent.
    public init(
        prefix: String? = nil,
        configMapRef: ConfigMapEnvSource? = nil,
        secretRef: SecretEnvSource? = nil
    ) {
        self.prefix = prefix
        self.configMapRef = configMapRef
        self.secretRef = secretRef
    }

    enum CodingKeys: String, CodingKey {
        case prefix
        case configMapRef
        case secretRef
    }
}

/// A config map whose keys become environment variables.
public struct ConfigMapEnvSource: Codable, Sendable, Equatable {
    /// Name of the config map.
    public var name: String?
    /// Whether the config map may be missing.
    public var optional: Bool?

    /// Creates a `ConfigMapEnvSource`; every optional field defaults to absent.
    public init(name: String? = nil, optional: Bool? = nil) {
        self.name = name
        self.optional = optional
    }

    enum CodingKeys: String, CodingKey {
        case name
        case optional
    }
}

/// A secret whose keys become environment variables.
public struct SecretEnvSource: Codable, Sendable, Equatable {
    /// Name of the secret.
    public var name: String?
    /// Whether the secret may be missing.
    public var optional: Bool?

    /// Creates a `SecretEnvSource`; every optional field defaults to absent.
    public init(name: String? = nil, optional: Bool? = nil) {
        self.name = name
        self.optional = optional
    }

    enum CodingKeys: String, CodingKey {
        case name
        case optional
    }
}
