/// One event of a store watch, with Kubernetes watch semantics.
public enum StoreWatchEvent<Object: StoredObject>: Sendable {
    /// The object appeared for this watcher: created, moved into the filter, or listed at the start of a watch
    /// from version 0.
    case added(Object)
    /// The object changed and matches the filter before and after.
    case modified(Object)
    /// The object was deleted, or moved out of the filter. It carries the object's last content with the
    /// resourceVersion of the change, so a client can resume from it.
    case deleted(Object)
    /// Nothing to report, but everything up to this version has been delivered (a `BOOKMARK` event).
    case bookmark(resourceVersion: String)
    /// The watch cannot go on; this is its last event (an `ERROR` event).
    case error(WatchFailure)
}

/// Why a watch ended with an error event.
public enum WatchFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The requested version is older than the history window. The API answers an `ERROR` event with a 410 Gone
    /// Status, reason `Expired`, and `message` below; clients relist.
    case expired(requested: UInt64, oldestResumable: UInt64)
    /// The requested version is newer than anything the store has published (the API answers 504, reason
    /// `Timeout`, cause `ResourceVersionTooLarge`).
    case resourceVersionTooLarge(requested: UInt64, current: UInt64)
    /// The consumer did not keep up: its buffer of `bufferLimit` events overflowed and it was dropped. Every event
    /// before this one was delivered in order, so the client can resume from the last version it saw.
    case tooSlow(bufferLimit: Int)

    /// The Status message, worded as kube-apiserver words it where it has an equivalent.
    public var message: String {
        switch self {
        case let .expired(requested, oldest):
            return "too old resource version: \(requested) (\(oldest))"
        case let .resourceVersionTooLarge(requested, current):
            return "Too large resource version: \(requested), current: \(current)"
        case let .tooSlow(limit):
            return "watch closed: the client fell more than \(limit) events behind"
        }
    }

    /// Same as `message`.
    public var description: String { message }

    /// The HTTP status code the API should put in the ERROR event's Status.
    public var httpStatusCode: Int {
        switch self {
        case .expired: return 410
        case .resourceVersionTooLarge: return 504
        case .tooSlow: return 500
        }
    }
}
