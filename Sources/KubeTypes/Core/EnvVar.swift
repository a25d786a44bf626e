/// An environment variable of a container.
public struct EnvVar: Codable, Sendable, Equatable {
    /// Variable name.
    public var name: String
    /// Literal value; `$(VAR)` references are expanded.
    public var value: String?
    /// Source of the value when `value` is absent.
    public var valueFrom: EnvVarSource?

    /// Creates a `EnvVar`; every optional field defaults to absent.
    public init(
        name: String = "",
        value: String? = nil,
        valueFrom: EnvVarSource? = nil
    ) {
        self.name = name
        self.value = value
        self.valueFrom = valueFrom
    }

    enum CodingKeys: String, CodingKey {
        case name
        case value
        case valueFrom
    }
}

extension EnvVar {
    /// Decodes the Kubernetes JSON form; a required field that is absent takes its zero value, so that
    /// validation (not the decoder) reports it the way the API server does.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.name = try c.decodeIfPresent(String.self, forKey: .name) ?? ""
        self.value = try c.decodeIfPresent(String.self, forKey: .value)
        self.valueFrom = try c.decodeIfPresent(EnvVarSource.self, forKey: .valueFrom)
    }
}

/// Where an environment variable's value comes from; exactly one member is set.
public struct EnvVarSource: Codable, Sendable, Equatable {
    /// A field of the pod.
    public var fieldRef: ObjectFieldSelector?
    /// A resource limit or request of a container.
    public var resourceFieldRef: ResourceFieldSelector?
    /// A key of a config map.
    public var configMapKeyRef: ConfigMapKeySelector?
    /// A key of a secret.
    public var secretKeyRef: SecretKeySelector?
    /// A key of an env file in a volume.
    public var fileKeyRef: FileKeySelector?

    /// Creates a `EnvVarSource`; every optional field defaults to absent.
    public init(
        fieldRef: ObjectFieldSelector? = nil,
        resourceFieldRef: ResourceFieldSelector? = nil,
        configMapKeyRef: ConfigMapKeySelector? = nil,
        secretKeyRef: SecretKeySelector? = nil,
        fileKeyRef: FileKeySelector? = nil
    ) {
        self.fieldRef = fieldRef
        self.resourceFieldRef = resourceFieldRef
        self.configMapKeyRef = configMapKeyRef
        self.secretKeyRef = secretKeyRef
        self.fileKeyRef = fileKeyRef
    }

    enum CodingKeys: String, CodingKey {
        case fieldRef
        case resourceFieldRef
        case configMapKeyRef
        case secretKeyRef
        case fileKeyRef
    }
}
