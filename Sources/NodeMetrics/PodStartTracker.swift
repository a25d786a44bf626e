import FoundationEssentials
import KubeTypes
import Logging
import NodeAgent
import Synchronization

/// Observes pods turning Running in the pod store and records kubelet's pod start histograms.
///
/// The start duration runs from the pod's `creationTimestamp` (when Swiftlet accepted it, which is when it first
/// saw it) to the first time the store shows phase Running; the SLI variant subtracts the time the runtime spent
/// pulling the pod's images. Each pod uid is recorded once.
public final class PodStartTracker: Sendable {
    private let store: ObjectStore<Pod>
    private let metrics: KubeletMetrics
    private let pullSeconds: @Sendable (String) -> Double
    private let logger: Logger
    private let task = Mutex<Task<Void, Never>?>(nil)

    /// Creates a tracker; `pullSeconds(uid)` returns (and forgets) the image pull time of a pod.
    public init(store: ObjectStore<Pod>, metrics: KubeletMetrics, pullSeconds: @escaping @Sendable (String) -> Double,
                logger: Logger) {
        self.store = store
        self.metrics = metrics
        self.pullSeconds = pullSeconds
        self.logger = logger
    }

    /// Starts watching. Pods already Running when the watch starts are not recorded: their start was not seen.
    public func start() {
        let store = self.store
        let handle = Task { [weak self] in
            var recorded: Set<String> = []
            while !Task.isCancelled {
                guard let watch = try? await store.watch(fromResourceVersion: nil, bufferLimit: 1000) else { return }
                for await event in watch {
                    guard let self else { return }
                    switch event {
                    case let .added(pod):
                        // Pods are created Pending; one listed Running started before this watch, unseen.
                        if let uid = pod.metadata.uid, pod.status.phase == .running { recorded.insert(uid) }
                    case let .modified(pod):
                        guard let uid = pod.metadata.uid, !recorded.contains(uid),
                              pod.status.phase == .running else { continue }
                        recorded.insert(uid)
                        self.record(pod, uid: uid)
                    case let .deleted(pod):
                        if let uid = pod.metadata.uid { recorded.remove(uid) }
                    case .bookmark, .error:
                        continue
                    }
                }
                // The watch ended (buffer overflow or store shutdown): start again after a pause.
                try? await Task.sleep(for: .seconds(1))
            }
        }
        task.withLock { $0 = handle }
    }

    /// Stops watching.
    public func stop() {
        task.withLock { $0?.cancel() }
    }

    private func record(_ pod: Pod, uid: String) {
        guard let created = pod.metadata.creationTimestamp else { return }
        let seconds = max(0, Date().timeIntervalSince1970 - Double(created.secondsSinceEpoch))
        metrics.podStartDuration.observe(seconds)
        metrics.podStartSLIDuration.observe(max(0, seconds - pullSeconds(uid)))
    }
}
