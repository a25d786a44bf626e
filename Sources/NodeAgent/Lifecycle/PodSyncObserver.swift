/// Receives the duration of every pod worker sync, for `kubelet_pod_worker_duration_seconds`.
public protocol PodSyncObserver: Sendable {
    /// Called after each sync of a pod's worker. Must return quickly: it runs on the worker.
    func podSyncFinished(_ operation: PodSyncOperation, duration: Duration)
}

/// kubelet's `operation_type` values for pod worker syncs.
public enum PodSyncOperation: String, Sendable, CaseIterable {
    /// The first sync of a pod this worker runs.
    case create
    /// A sync asked for by a changed pod (a new spec or metadata from the store).
    case update
    /// A periodic or runtime-event sync of an unchanged pod.
    case sync
    /// A sync that terminates the pod.
    case kill
}
