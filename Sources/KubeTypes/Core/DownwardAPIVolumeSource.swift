/// Files holding fields of the pod.
public struct DownwardAPIVolumeSource: Codable, Sendable, Equatable {
    /// The files.
    public var items: [DownwardAPIVolumeFile]?
    /// Permission bits of the files; defaults to 0644.
    public var defaultMode: Int32?
    /// Owner of the files; kept as given.
    public var defaultUser: Int64?

    /// Creates a `DownwardAPIVolumeSource`; every optional field defaults to absent.
    public init(
        items: [DownwardAPIVolumeFile]? = nil,
        defaultMode: Int32? = nil,
        defaultUser: Int64? = nil
    ) {
        self.items = items
        self.defaultMode = defaultMode
        self.defaultUser = defaultUser
    }

    enum CodingKeys: String, CodingKey {
        case items
        case defaultMode
        case defaultUser
    }
}

/// One file of a downward API volume.
public struct DownwardAPIVolumeFile: Codable, Sendable, Equatable {
    /// Relative path of the file; no `..`.
    public var path: String
    /// A field of the pod.
    public var fieldRef: ObjectFieldSelector?
    /// A resource of a container.
    public var resourceFieldRef: ResourceFieldSelector?
    /// Permission bits of this file.
    public var mode: Int32?
    /// Owner of this file; kept as given.
    public var user: Int64?

    /// Creates a `DownwardAPIVolumeFile`; every optional field defaults to absent.
    public init(
        path: String = "",
        fieldRef: ObjectFieldSelector? = nil,
        resourceFieldRef: ResourceFieldSelector? = nil,
        mode: Int32? = nil,
        user: Int64? = nil
    ) {
        self.path = path
        self.fieldRef = fieldRef
        self.resourceFieldRef = resourceFieldRef
        self.mode = mode
        self.user = user
    }

    enum CodingKeys: String, CodingKey {
        case path
        case fieldRef
        case resourceFieldRef
        case mode
        case user
    }
}

extension DownwardAPIVolumeFile {
    /// Decodes the Kubernetes JSON form; a required field that is absent takes its zero value, so that
    /// validation (not the decoder) reports it the way the API server does.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.path = try c.decodeIfPresent(String.self, forKey: .path) ?? ""
        self.fieldRef = try c.decodeIfPresent(ObjectFieldSelector.self, forKey: .fieldRef)
        self.resourceFieldRef = try c.decodeIfPresent(ResourceFieldSelector.self, forKey: .resourceFieldRef)
        self.mode = try c.decodeIfPresent(Int32.self, forKey: .mode)
        self.user = try c.decodeIfPresent(Int64.self, forKey: .user)
    }
}
