import KubeTypes

/// Pods are stored with the Kubernetes codec, so the cached bytes are exactly the JSON the API serves (compact,
/// keys in Kubernetes order) and a file that does not decode strictly is quarantined rather than half-read.
extension Pod: StoredObject {
    /// `metadata.namespace` (`default` when absent or empty, as the API server defaults it) and `metadata.name`.
    public var objectKey: ObjectKey {
        let namespace = metadata.namespace ?? ""
        return ObjectKey(namespace: namespace.isEmpty ? "default" : namespace, name: metadata.name ?? "")
    }

    /// `metadata.uid`, or empty when the pod has none yet.
    public var uid: String { metadata.uid ?? "" }

    /// `metadata.resourceVersion`.
    public var resourceVersion: String? {
        get { metadata.resourceVersion }
        set { metadata.resourceVersion = newValue }
    }

    /// `metadata.labels`, empty when absent.
    public var labels: [String: String] { metadata.labels ?? [:] }

    /// `KubeJSON.encode`.
    public static func encodeForStore(_ object: Pod) throws -> [UInt8] {
        try KubeJSON.encode(object)
    }

    /// `KubeJSON.decode` (strict: unknown fields are an error).
    public static func decodeFromStore(_ bytes: [UInt8]) throws -> Pod {
        try KubeJSON.decode(Pod.self, from: bytes)
    }
}
