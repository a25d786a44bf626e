
/// How the pod lifecycle engine runs: where it keeps pod files, how often it relists, and its backoff limits.
public struct PodManagerConfiguration: Sendable {
    /// The node's name: `spec.nodeName` for the downward API and the events' source.
    public var nodeName: String
    /// Root of the agent's files: pod dirs under `<root>/pods/<uid>/`, logs under
    /// `<root>/pods/logs/<namespace>_<name>_<uid>/`, claim volumes under `<root>/volumes/claims/`.
    public var rootDirectory: String
    /// How often the runtime is relisted (containerd 1.6 has no event stream).
    public var relistPeriod: Duration
    /// First CrashLoopBackOff delay; it doubles up to `backoffMax`.
    public var backoffBase: Duration
    /// Longest CrashLoopBackOff delay. A container that ran twice this long without failing starts over at the base.
    public var backoffMax: Duration
    /// First ImagePullBackOff delay; it doubles up to `imagePullBackoffMax`.
    public var imagePullBackoffBase: Duration
    /// Longest ImagePullBackOff delay.
    public var imagePullBackoffMax: Duration
    /// The CRI runtime handler for sandboxes (empty: the runtime's default).
    public var runtimeHandler: String
    /// The node's IP: `status.hostIP`, and `status.podIP` of host-network pods.
    public var hostIP: String
    /// Labels put on every sandbox and container the engine creates, and the relist's filter. They mark what this
    /// engine owns: recovery removes only sandboxes carrying them. Tests put a per-test scope here.
    public var ownerLabels: [String: String]
    /// The resolv.conf that `dnsPolicy: Default` (and ClusterFirst without cluster DNS) copies.
    public var resolvConfPath: String
    /// How often every pod is synced even when the relist saw no change (kubelet resyncs about once a minute).
    public var resyncPeriod: Duration
    /// Told of every probe run, for the prober metrics; nil keeps no record.
    public var probeObserver: (any ProbeObserver)?
    /// Told how long every pod worker sync took, for `kubelet_pod_worker_duration_seconds`; nil keeps no record.
    public var syncObserver: (any PodSyncObserver)?
    /// How often disk-backed emptyDir volumes with a `sizeLimit` are measured (kubelet's eviction monitoring
    /// interval is 10 s); a pod over a limit is evicted.
    public var evictionCheckPeriod: Duration

    /// Creates a configuration; every value but the node name and root directory has kubelet's default.
    public init(
        nodeName: String,
        rootDirectory: String,
        relistPeriod: Duration = .seconds(1),
        backoffBase: Duration = .seconds(10),
        backoffMax: Duration = .seconds(300),
        imagePullBackoffBase: Duration = .seconds(10),
        imagePullBackoffMax: Duration = .seconds(300),
        runtimeHandler: String = "",
        hostIP: String = "127.0.0.1",
        ownerLabels: [String: String] = ["swiftlet.io/managed": "true"],
        resolvConfPath: String = "/etc/resolv.conf",
        resyncPeriod: Duration = .seconds(60),
        probeObserver: (any ProbeObserver)? = nil,
        evictionCheckPeriod: Duration = .seconds(10),
        syncObserver: (any PodSyncObserver)? = nil
    ) {
        self.nodeName = nodeName
        self.rootDirectory = rootDirectory
        self.relistPeriod = relistPeriod
        self.backoffBase = backoffBase
        self.backoffMax = backoffMax
        self.imagePullBackoffBase = imagePullBackoffBase
        self.imagePullBackoffMax = imagePullBackoffMax
        self.runtimeHandler = runtimeHandler
        self.hostIP = hostIP
        self.ownerLabels = ownerLabels
        self.resolvConfPath = resolvConfPath
        self.resyncPeriod = resyncPeriod
        self.probeObserver = probeObserver
        self.evictionCheckPeriod = evictionCheckPeriod
        self.syncObserver = syncObserver
    }
}

/// The directories of one pod, derived from the configuration.
struct PodPaths: Sendable {
    let root: String
    let namespace: String
    let name: String
    let uid: String

    /// `<root>/pods/<uid>`: volumes and termination-message files.
    var podDirectory: String { "\(root)/pods/\(uid)" }
    /// `<root>/pods/logs/<namespace>_<name>_<uid>`: the sandbox's log directory.
    var logDirectory: String { "\(root)/pods/logs/\(namespace)_\(name)_\(uid)" }
    /// `<podDir>/volumes/<plugin>/<name>`, kubelet's layout.
    func volumeDirectory(plugin: String, name: String) -> String { "\(podDirectory)/volumes/\(plugin)/\(name)" }
    /// `<podDir>/containers/<name>`: per-container files such as the termination-message file.
    func containerDirectory(_ container: String) -> String { "\(podDirectory)/containers/\(container)" }
    /// `<root>/volumes/claims/<namespace>/<claim>`: node-local claim storage that outlives pods.
    static func claimDirectory(root: String, namespace: String, claim: String) -> String {
        "\(root)/volumes/claims/\(namespace)/\(claim)"
    }
}
