/// Selects a key of a config map.
public struct ConfigMapKeySelector: Codable, Sendable, Equatable {
    /// Name of the config map.
    public var name: String?
    /// Key to select.
    public var key: String
    /// Whether the config map or key may be missing.
    public var optional: Bool?

    /// Creates a `ConfigMapKeySelector`; every optional field defaults to absent.
    public init(
        name: String? = nil,
        key: String = "",
        optional: Bool? = nil
    ) {
        self.name = name
        self.key = key
        self.optional = optional
    }

    enum CodingKeys: String, CodingKey {
        case name
        case key
        case optional
    }
}

extension ConfigMapKeySelector {
    /// Decodes the Kubernetes JSON form; a required field that is absent takes its zero value, so that
    /// validation (not the decoder) reports it the way the API server does.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.name = try c.decodeIfPresent(String.self, forKey: .name)
        self.key = try c.decodeIfPresent(String.self, forKey: .key) ?? ""
        self.optional = try c.decodeIfPresent(Bool.self, forKey: .optional)
    }
}

/// Selects a key of a secret.
public struct SecretKeySelector: Codable, Sendable, Equatable {
    /// Name of the secret.
    public var name: String?
    /// Key to select.
    public var key: String
    /// Whether the secret or key may be missing.
    public var optional: Bool?

    /// Creates a `SecretKeySelector`; every optional field defaults to absent.
    public init(
        name: String? = nil,
        key: String = "",
        optional: Bool? = nil
    ) {
        self.name = name
        self.key = key
        self.optional = optional
    }

    enum CodingKeys: String, CodingKey {
        case name
        case key
        case optional
    }
}

extension SecretKeySelector {
    /// Decodes the Kubernetes JSON form; a required field that is absent takes its zero value, so that
    /// validation (not the decoder) reports it the way the API server does.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.name = try c.decodeIfPresent(String.self, forKey: .name)
        self.key = try c.decodeIfPresent(String.self, forKey: .key) ?? ""
        self.optional = try c.decodeIfPresent(Bool.self, forKey: .optional)
    }
}

/// Selects a key of an env file in a volume.
public struct FileKeySelector: Codable, Sendable, Equatable {
    /// Volume holding the file.
    public var volumeName: String
    /// Path of the file in the volume.
    public var path: String
    /// Key to select.
    public var key: String
    /// Whether the file or key may be missing.
    public var optional: Bool?

    /// Creates a `FileKeySelector`; every optional field defaults to absent.
    public init(
        volumeName: String = "",
        path: String = "",
        key: String = "",
        optional: Bool? = nil
    ) {
        self.volumeName = volumeName
        self.path = path
        self.key = key
        self.optional = optional
    }

    enum CodingKeys: String, CodingKey {
        case volumeName
        case path
        case key
        case optional
    }
}

extension FileKeySelector {
    /// Decodes the Kubernetes JSON form; a required field that is absent takes its zero value, so that
    /// validation (not the decoder) reports it the way the API server does.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.volumeName = try c.decodeIfPresent(String.self, forKey: .volumeName) ?? ""
        self.path = try c.decodeIfPresent(String.self, forKey: .path) ?? ""
        self.key = try c.decodeIfPresent(String.self, forKey: .key) ?? ""
        self.optional = try c.decodeIfPresent(Bool.self, forKey: .optional)
    }
}
