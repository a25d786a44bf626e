import KubeTypes

/// The annotations that mark a pod as coming from a manifest file, as kubelet's file source marks them, plus
/// Swiftlet's record of which file it was (for the 403 that tells a user where to delete it).
public enum StaticPodAnnotations {
    /// kubelet's `kubernetes.io/config.source`; `file` for static pods.
    public static let source = "kubernetes.io/config.source"
    /// kubelet's `kubernetes.io/config.hash`: the pod's identity derived from its manifest.
    public static let hash = "kubernetes.io/config.hash"
    /// The manifest file the pod was read from.
    public static let manifest = "swiftlet.io/static-pod-manifest"

    /// The manifest file of a static pod; nil for pods created through the API.
    public static func manifestFile(of pod: Pod) -> String? {
        guard pod.metadata.annotations?[source] == "file" else { return nil }
        return pod.metadata.annotations?[manifest] ?? "(unknown file)"
    }
}
