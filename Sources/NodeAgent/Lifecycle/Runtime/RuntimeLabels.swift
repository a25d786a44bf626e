/// The label and annotation keys kubelet puts on CRI objects; Swiftlet uses the same so tools that know kubelet's
/// layout (crictl filters, log collectors) work, and so recovery can map runtime objects back to pods.
enum RuntimeLabels {
    /// The pod's uid (sandbox and container label).
    static let podUID = "io.kubernetes.pod.uid"
    /// The pod's name.
    static let podName = "io.kubernetes.pod.name"
    /// The pod's namespace.
    static let podNamespace = "io.kubernetes.pod.namespace"
    /// The container's name in the pod spec (container label).
    static let containerName = "io.kubernetes.container.name"
    /// Marks init containers so recovery knows which list a container belongs to.
    static let containerType = "io.swiftlet.container.type"
    /// The restart count this container instance stands for (container annotation).
    static let restartCount = "io.kubernetes.container.restartCount"
    /// Where the container writes its termination message (container annotation).
    static let terminationMessagePath = "io.kubernetes.container.terminationMessagePath"
    /// The termination-message policy (container annotation).
    static let terminationMessagePolicy = "io.kubernetes.container.terminationMessagePolicy"
    /// The pod's termination grace period (container annotation), used when a container is killed after recovery.
    static let terminationGracePeriod = "io.kubernetes.pod.terminationGracePeriod"
}
