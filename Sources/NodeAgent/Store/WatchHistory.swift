/// The bounded window of recent changes that watches resume from.
///
/// Invariant: every change with a version above `oldestResumable` is in the window, so a watch from any
/// `N >= oldestResumable` can be replayed exactly; an older `N` has lost events and is expired (410).
struct WatchHistory<Object: StoredObject>: Sendable {
    /// How many changes the window keeps.
    let limit: Int
    /// The oldest version a watch may resume from (the version just before the oldest change kept).
    private(set) var oldestResumable: UInt64
    private var changes: [StoreChange<Object>] = []
    private var head = 0

    /// An empty window; `startVersion` is the store's version when it opened (nothing before it is known).
    init(limit: Int, startVersion: UInt64) {
        self.limit = max(0, limit)
        oldestResumable = startVersion
    }

    /// Number of changes kept.
    var count: Int { changes.count - head }

    /// Number of changes held in memory, evicted ones not yet compacted away included.
    var retainedCount: Int { changes.count }

    /// Adds a change (versions must increase), evicting the oldest when the window is full.
    mutating func append(_ change: StoreChange<Object>) {
        guard limit > 0 else {
            oldestResumable = change.version
            return
        }
        changes.append(change)
        if count > limit {
            oldestResumable = changes[head].version
            head += 1
            // Compact once an eighth of the window is dead: evicted changes (each holding two copies of an object)
            // stay in memory only until then, instead of doubling the window, at an amortized cost of 8 moves
            // per append.
            if head >= max(16, limit / 8) {
                changes.removeFirst(head)
                head = 0
            }
        }
    }

    /// Every kept change after `version`, or `.expired` when some of them have been evicted.
    func changes(after version: UInt64) -> Result<ArraySlice<StoreChange<Object>>, WatchFailure> {
        guard version >= oldestResumable else {
            return .failure(.expired(requested: version, oldestResumable: oldestResumable))
        }
        // Binary search for the first change newer than `version`.
        var low = head
        var high = changes.count
        while low < high {
            let middle = (low + high) / 2
            if changes[middle].version > version { high = middle } else { low = middle + 1 }
        }
        return .success(changes[low...])
    }
}
