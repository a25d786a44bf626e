/// A Kubernetes v1 Pod: metadata, desired state and observed status.
public struct Pod: Codable, Sendable, Equatable {
    /// `v1`.
    public var apiVersion: String?
    /// `Pod`.
    public var kind: String?
    /// Standard object metadata.
    public var metadata: ObjectMeta {
        get { storedMetadata.value }
        _modify { yield &storedMetadata.value }
    }
    /// Desired behaviour of the pod.
    public var spec: PodSpec {
        get { storedSpec.value }
        _modify { yield &storedSpec.value }
    }
    /// Most recently observed status.
    public var status: PodStatus {
        get { storedStatus.value }
        _modify { yield &storedStatus.value }
    }

    // The three large parts live behind copy-on-write boxes, so copying a pod costs three retains instead of
    // 1.4 kB, and a status update shares the old version's metadata and spec (see `CopyOnWrite`).
    private var storedMetadata: CopyOnWrite<ObjectMeta>
    private var storedSpec: CopyOnWrite<PodSpec>
    private var storedStatus: CopyOnWrite<PodStatus>

    /// Creates a `Pod`; every optional field defaults to absent.
    public init(
        apiVersion: String? = nil,
        kind: String? = nil,
        metadata: ObjectMeta = ObjectMeta(),
        spec: PodSpec = PodSpec(),
        status: PodStatus = PodStatus()
    ) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.storedMetadata = CopyOnWrite(metadata)
        self.storedSpec = CopyOnWrite(spec)
        self.storedStatus = CopyOnWrite(status)
    }

    enum CodingKeys: String, CodingKey {
        case apiVersion
        case kind
        case metadata
        case spec
        case status
    }
}

extension Pod {
    /// Decodes the Kubernetes JSON form; a required field that is absent takes its zero value, so that
    /// validation (not the decoder) reports it the way the API server does.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            apiVersion: try c.decodeIfPresent(String.self, forKey: .apiVersion),
            kind: try c.decodeIfPresent(String.self, forKey: .kind),
            metadata: try c.decodeIfPresent(ObjectMeta.self, forKey: .metadata) ?? ObjectMeta(),
            spec: try c.decodeIfPresent(PodSpec.self, forKey: .spec) ?? PodSpec(),
            status: try c.decodeIfPresent(PodStatus.self, forKey: .status) ?? PodStatus())
    }

    /// Encodes the Kubernetes JSON form: every field, absent optionals left out.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(apiVersion, forKey: .apiVersion)
        try c.encodeIfPresent(kind, forKey: .kind)
        try c.encode(metadata, forKey: .metadata)
        try c.encode(spec, forKey: .spec)
        try c.encode(status, forKey: .status)
    }
}
