/// When a store write reaches the disk, relative to the caller and the watchers.
public enum WriteDurability: Sendable, Equatable {
    /// On disk (file and directory fsynced) before the call returns and before any watcher sees it. Every change
    /// a client asks for is written this way: nothing is acknowledged before it is durable.
    case durable
    /// Published at once and written soon after by a background flush. Later deferred writes of the same key
    /// replace one not yet written (one write for a burst of changes), and a durable write of the key supersedes
    /// it. For data the agent rebuilds after a crash anyway, such as the pod status its workers recompute from
    /// the runtime, where an fsync on the path to the watch event buys nothing.
    case deferred
}
