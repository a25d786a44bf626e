/// Receives the outcome of every probe the prober runs, so that metrics (`prober_probe_total`,
/// `prober_probe_duration_seconds`) can be kept outside the engine.
public protocol ProbeObserver: Sendable {
    /// Called once per probe run, after the result is known. Must return quickly: it runs on the probe's task.
    func observe(_ observation: ProbeObservation)
    /// Called once a pod is gone from the node (its worker finished), so per-pod series can be dropped as kubelet
    /// drops its prober series when a probe worker stops; without this they would pile up with pod churn.
    func podRemoved(namespace: String, pod: String, podUID: String)
}

extension ProbeObserver {
    /// Observers without per-pod state have nothing to drop.
    public func podRemoved(namespace: String, pod: String, podUID: String) {}
}

/// One probe run, labelled as kubelet labels its prober metrics.
public struct ProbeObservation: Sendable, Equatable {
    /// `Liveness`, `Readiness` or `Startup`: kubelet's `probe_type` label values.
    public var probeType: String
    /// `successful`, `failed` or `unknown`: kubelet's `result` label values.
    public var result: String
    /// The pod's namespace.
    public var namespace: String
    /// The pod's name.
    public var pod: String
    /// The pod's uid.
    public var podUID: String
    /// The container's name.
    public var container: String
    /// How long the probe took, from its start to its result.
    public var duration: Duration

    /// Creates an observation.
    public init(probeType: String, result: String, namespace: String, pod: String, podUID: String, container: String, duration: Duration) {
        self.probeType = probeType
        self.result = result
        self.namespace = namespace
        self.pod = pod
        self.podUID = podUID
        self.container = container
        self.duration = duration
    }
}
