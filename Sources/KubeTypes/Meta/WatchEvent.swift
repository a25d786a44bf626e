/// One event of a watch stream (`metav1.WatchEvent`): `{"type":"ADDED","object":{...}}`.
///
/// For `ERROR` events the object is a `Status`; use `WatchEvent<Status>` for those.
public struct WatchEvent<Object: Codable & Sendable & Equatable>: Codable, Sendable, Equatable {
    /// `ADDED`, `MODIFIED`, `DELETED`, `BOOKMARK` or `ERROR`.
    public var type: String
    /// The object after the change (before it, for `DELETED`).
    public var object: Object

    /// An event of `type` carrying `object`.
    public init(type: String, object: Object) {
        self.type = type
        self.object = object
    }

    enum CodingKeys: String, CodingKey {
        case type, object
    }
}

/// The `type` values of a watch event.
public enum WatchEventType {
    /// An object was created.
    public static let added = "ADDED"
    /// An object changed.
    public static let modified = "MODIFIED"
    /// An object was deleted.
    public static let deleted = "DELETED"
    /// A progress marker carrying only a resource version.
    public static let bookmark = "BOOKMARK"
    /// The watch failed; the object is a `Status`.
    public static let error = "ERROR"
}
