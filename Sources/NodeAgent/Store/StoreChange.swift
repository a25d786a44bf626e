/// One committed change, as kept in the watch history and fanned out to watchers.
struct StoreChange<Object: StoredObject>: Sendable {
    enum Kind: Sendable {
        case created
        case modified
        case deleted
    }

    /// The resourceVersion the change was committed at.
    let version: UInt64
    let kind: Kind
    /// The object after the change; for a delete, its final content carrying the delete's version.
    let object: Object
    /// The object before the change (nil for a create).
    let previous: Object?

    /// What a watcher with `filter` sees of this change, as the Kubernetes watch cache decides it: an object that
    /// starts matching is ADDED, one that stops matching is DELETED (carrying its previous content, stamped with
    /// this change's version so the client can resume from it), and one that matches neither time is invisible.
    func event(passing filter: (Object) -> Bool) -> StoreWatchEvent<Object>? {
        switch kind {
        case .created:
            return filter(object) ? .added(object) : nil
        case .deleted:
            return filter(object) ? .deleted(object) : nil
        case .modified:
            let matchesNow = filter(object)
            let matchedBefore = previous.map(filter) ?? false
            switch (matchedBefore, matchesNow) {
            case (true, true): return .modified(object)
            case (false, true): return .added(object)
            case (true, false):
                guard var last = previous else { return nil }
                last.resourceVersion = String(version)
                return .deleted(last)
            case (false, false): return nil
            }
        }
    }
}
