/// Why a store operation was refused or failed. Each case maps to one Kubernetes API status.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A create found the key taken (HTTP 409 `AlreadyExists`).
    case alreadyExists(ObjectKey)
    /// An update or a precondition named a key that is not stored (HTTP 404 `NotFound`).
    case notFound(ObjectKey)
    /// An update's expected resourceVersion is not the stored one (HTTP 409 `Conflict`).
    case conflict(ObjectKey, expected: String, actual: String)
    /// An update tried to change what identifies the object (namespace, name or uid).
    case invalidMutation(ObjectKey, reason: String)
    /// A resourceVersion that is not a decimal unsigned integer (HTTP 400 `BadRequest`).
    case invalidResourceVersion(String)
    /// The object could not be serialised.
    case encodingFailed(ObjectKey, reason: String)
    /// The disk refused a write, rename, remove or fsync. The write was not acknowledged; if the failure came after
    /// the rename (a failed directory fsync), the new file may still surface after a restart.
    case io(String)

    /// A sentence for logs and for the `message` of a Kubernetes Status.
    public var description: String {
        switch self {
        case let .alreadyExists(key): return "object \"\(key)\" already exists"
        case let .notFound(key): return "object \"\(key)\" not found"
        case let .conflict(key, expected, actual):
            return "Operation cannot be fulfilled on \"\(key)\": the object has been modified; "
                + "expected resourceVersion \(expected), stored \(actual)"
        case let .invalidMutation(key, reason): return "invalid update of \"\(key)\": \(reason)"
        case let .invalidResourceVersion(value): return "invalid resource version: \"\(value)\""
        case let .encodingFailed(key, reason): return "cannot encode \"\(key)\": \(reason)"
        case let .io(message): return "storage failure: \(message)"
        }
    }
}
