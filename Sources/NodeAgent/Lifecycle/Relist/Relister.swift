import CRI

/// kubelet's PLEG for a runtime without an event stream: every relist period it lists the sandboxes and
/// containers carrying the engine's owner labels (two calls, whatever the pod count), fingerprints each pod's
/// objects by id and state, and reports the pods whose fingerprint changed since the previous relist.
struct Relister: Sendable {
    private(set) var previous: [String: String] = [:]
    private(set) var primed = false

    /// A pod's fingerprint: its objects' ids and states, sorted.
    static func fingerprints(
        sandboxes: [Runtime_V1_PodSandbox], containers: [Runtime_V1_Container]
    ) -> [String: String] {
        var parts: [String: [String]] = [:]
        for sandbox in sandboxes {
            let uid = sandbox.labels[RuntimeLabels.podUID] ?? sandbox.metadata.uid
            parts[uid, default: []].append("s:\(sandbox.id):\(sandbox.state.rawValue)")
        }
        for container in containers {
            guard let uid = container.labels[RuntimeLabels.podUID] else { continue }
            parts[uid, default: []].append("c:\(container.id):\(container.state.rawValue)")
        }
        return parts.mapValues { $0.sorted().joined(separator: ",") }
    }

    /// Records a new listing and returns the uids of the pods whose objects changed (appeared, disappeared or
    /// changed state). The first listing reports every pod it sees.
    mutating func diff(sandboxes: [Runtime_V1_PodSandbox], containers: [Runtime_V1_Container]) -> Set<String> {
        let current = Self.fingerprints(sandboxes: sandboxes, containers: containers)
        var changed = Set<String>()
        for (uid, fingerprint) in current where previous[uid] != fingerprint { changed.insert(uid) }
        for uid in previous.keys where current[uid] == nil { changed.insert(uid) }
        previous = current
        primed = true
        return changed
    }
}
