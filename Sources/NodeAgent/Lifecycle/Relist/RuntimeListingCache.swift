import CRI
import Synchronization

/// The relist's latest listing, grouped by pod, for pod workers to read instead of listing the runtime again
/// (kubelet's PLEG cache).
///
/// Without it every periodic resync and every relist-triggered sync costs two more filtered list calls per pod;
/// with 110 pods those were two thirds of all list calls. A worker may use a listing only when the list began after
/// its previous sync ended: everything the worker itself did to the runtime is then in it, and whatever happened
/// since is a change the next relist sees and wakes the worker for. Anything older, or any doubt, means a fresh list.
final class RuntimeListingCache: Sendable {
    /// One pod's objects as the relist saw them, in the runtime's order.
    struct PodObjects: Sendable {
        var sandboxes: [Runtime_V1_PodSandbox] = []
        var containers: [Runtime_V1_Container] = []
    }

    private struct Listing: Sendable {
        var startedAt: ContinuousClock.Instant
        var pods: [String: PodObjects]
    }

    /// A listing older than this is not used even when it is newer than the worker's last sync: relists have
    /// been failing, and the runtime's word should be asked again.
    private let maxAge: Duration
    private let latest = Mutex<Listing?>(nil)

    /// - Parameter maxAge: the oldest listing handed out (a few relist periods).
    init(maxAge: Duration) {
        self.maxAge = maxAge
    }

    /// A listing's objects by pod: grouped by their pod-uid label, the same label a worker's own filtered list
    /// selects on. Done once per relist for both the cache and the relister's diff.
    static func group(
        sandboxes: [Runtime_V1_PodSandbox], containers: [Runtime_V1_Container]
    ) -> [String: PodObjects] {
        var pods: [String: PodObjects] = [:]
        for sandbox in sandboxes {
            guard let uid = sandbox.labels[RuntimeLabels.podUID] else { continue }
            pods[uid, default: PodObjects()].sandboxes.append(sandbox)
        }
        for container in containers {
            guard let uid = container.labels[RuntimeLabels.podUID] else { continue }
            pods[uid, default: PodObjects()].containers.append(container)
        }
        return pods
    }

    /// Records a complete listing of the engine's objects (`group`ed) whose list calls began at `startedAt`.
    func record(startedAt: ContinuousClock.Instant, pods: [String: PodObjects]) {
        let listing = Listing(startedAt: startedAt, pods: pods)
        latest.withLock { current in
            // Two relists never overlap, but a slow one must not replace a newer one.
            if let current, current.startedAt > startedAt { return }
            current = listing
        }
    }

    /// The pod's objects from a listing that began after `instant` and is at most `maxAge` old at `now`, or nil
    /// when there is none. A pod the listing does not mention has no objects.
    func objects(
        of uid: String, listedAfter instant: ContinuousClock.Instant, now: ContinuousClock.Instant = .now
    ) -> PodObjects? {
        latest.withLock { listing -> PodObjects? in
            guard let listing, listing.startedAt > instant, now - listing.startedAt <= maxAge else { return nil }
            return listing.pods[uid] ?? PodObjects()
        }
    }
}
