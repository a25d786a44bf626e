import CRI

/// kubelet's PLEG for a runtime without an event stream: every relist period it lists the sandboxes and
/// containers carrying the engine's owner labels (two calls, whatever the pod count), fingerprints each pod's
/// objects by id and state, and reports the pods whose fingerprint changed since the previous relist.
struct Relister: Sendable {
    private(set) var previous: [String: String] = [:]
    private(set) var primed = false

    /// A pod's fingerprint: its objects' ids and states, sorted.
    static func fingerprint(_ objects: RuntimeListingCache.PodObjects) -> String {
        let parts = objects.sandboxes.map { "s:\($0.id):\($0.state.rawValue)" }
            + objects.containers.map { "c:\($0.id):\($0.state.rawValue)" }
        return parts.sorted().joined(separator: ",")
    }

    /// Records a new listing (grouped by `RuntimeListingCache.group`) and returns the uids of the pods whose
    /// objects changed (appeared, disappeared or changed state). The first listing reports every pod it sees.
    mutating func diff(_ pods: [String: RuntimeListingCache.PodObjects]) -> Set<String> {
        let current = pods.mapValues(Self.fingerprint)
        var changed = Set<String>()
        for (uid, fingerprint) in current where previous[uid] != fingerprint { changed.insert(uid) }
        for uid in previous.keys where current[uid] == nil { changed.insert(uid) }
        previous = current
        primed = true
        return changed
    }
}
