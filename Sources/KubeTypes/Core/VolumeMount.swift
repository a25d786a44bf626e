/// A volume mounted into a container.
public struct VolumeMount: Codable, Sendable, Equatable {
    /// Name of a volume of the pod.
    public var name: String
    /// Mount read-only.
    public var readOnly: Bool?
    /// `Disabled`, `IfPossible` or `Enabled`.
    public var recursiveReadOnly: String?
    /// Path in the container; must not contain `:`.
    public var mountPath: String
    /// Sub-path of the volume to mount; relative, no `..`.
    public var subPath: String?
    /// `None`, `HostToContainer` or `Bidirectional`.
    public var mountPropagation: String?
    /// Like `subPath` with `$(VAR)` expansion.
    public var subPathExpr: String?
    /// Extra bind mount options.
    public var bindMountOptions: [String]?

    /// Creates a `VolumeMount`; every optional field defaults to absent.
    public init(
        name: String = "",
        readOnly: Bool? = nil,
        recursiveReadOnly: String? = nil,
        mountPath: String = "",
        subPath: String? = nil,
        mountPropagation: String? = nil,
        subPathExpr: String? = nil,
        bindMountOptions: [String]? = nil
    ) {
        self.name = name
        self.readOnly = readOnly
        self.recursiveReadOnly = recursiveReadOnly
        self.mountPath = mountPath
        self.subPath = subPath
        self.mountPropagation = mountPropagation
        self.subPathExpr = subPathExpr
        self.bindMountOptions = bindMountOptions
    }

    enum CodingKeys: String, CodingKey {
        case name
        case readOnly
        case recursiveReadOnly
        case mountPath
        case subPath
        case mountPropagation
        case subPathExpr
        case bindMountOptions
    }
}

extension VolumeMount {
    /// Decodes the Kubernetes JSON form; a required field that is absent takes its zero value, so that
    /// validation (not the decoder) reports it the way the API server does.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.name = try c.decodeIfPresent(String.self, forKey: .name) ?? ""
        self.readOnly = try c.decodeIfPresent(Bool.self, forKey: .readOnly)
        self.recursiveReadOnly = try c.decodeIfPresent(String.self, forKey: .recursiveReadOnly)
        self.mountPath = try c.decodeIfPresent(String.self, forKey: .mountPath) ?? ""
        self.subPath = try c.decodeIfPresent(String.self, forKey: .subPath)
        self.mountPropagation = try c.decodeIfPresent(String.self, forKey: .mountPropagation)
        self.subPathExpr = try c.decodeIfPresent(String.self, forKey: .subPathExpr)
        self.bindMountOptions = try c.decodeIfPresent([String].self, forKey: .bindMountOptions)
    }
}
