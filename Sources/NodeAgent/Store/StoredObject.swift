import FoundationEssentials

/// An object the store can hold: Codable, with Kubernetes object identity.
///
/// The store owns `resourceVersion`: it overwrites it on every write, so callers never pick versions themselves.
/// `encodeForStore`/`decodeFromStore` define the on-disk bytes, which are also the cached JSON that list and get
/// serve without re-encoding; types with their own codec (for example `Pod` with `KubeJSON`) override the
/// Foundation-based defaults so that the cached bytes are exactly what the API sends.
public protocol StoredObject: Codable, Sendable {
    /// Namespace and name: the object's identity inside the store and its file name on disk.
    var objectKey: ObjectKey { get }
    /// The object's unique id; an update may never change it.
    var uid: String { get }
    /// The version of the last write of this object, set by the store (decimal, as Kubernetes prints it).
    var resourceVersion: String? { get set }
    /// The object's labels, for label-selector filters.
    var labels: [String: String] { get }

    /// Serialises `object` to the bytes the store writes to disk and caches for reads.
    static func encodeForStore(_ object: Self) throws -> [UInt8]
    /// Parses bytes written by `encodeForStore`.
    static func decodeFromStore(_ bytes: [UInt8]) throws -> Self
}

extension StoredObject {
    /// Default encoding: Foundation `JSONEncoder` with sorted keys, so equal objects encode to equal bytes (the
    /// store relies on that to recognise no-op updates).
    public static func encodeForStore(_ object: Self) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(object))
    }

    /// Default decoding: Foundation `JSONDecoder`.
    public static func decodeFromStore(_ bytes: [UInt8]) throws -> Self {
        try JSONDecoder().decode(Self.self, from: Data(bytes))
    }
}

/// The identity of a stored object: namespace plus name, ordered as Kubernetes lists order them.
public struct ObjectKey: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The object's namespace (`default` when the user gave none; the conformance decides).
    public var namespace: String
    /// The object's name.
    public var name: String

    /// Creates a key from a namespace and a name.
    public init(namespace: String, name: String) {
        self.namespace = namespace
        self.name = name
    }

    /// Orders by namespace, then name, the order of keys in etcd (`/<namespace>/<name>`).
    public static func < (lhs: ObjectKey, rhs: ObjectKey) -> Bool {
        if lhs.namespace != rhs.namespace { return lhs.namespace < rhs.namespace }
        return lhs.name < rhs.name
    }

    /// `namespace/name`, as kubectl prints it.
    public var description: String { "\(namespace)/\(name)" }

    /// The file name the object is stored under: `<namespace>_<name>.json`, with every byte outside
    /// `[A-Za-z0-9.-]` percent-encoded so that no key can escape the directory or collide with another key.
    public var fileName: String {
        ObjectKey.escape(namespace) + "_" + ObjectKey.escape(name) + ObjectKey.fileSuffix
    }

    /// The suffix of every object file; anything else in the store directory is not an object.
    public static let fileSuffix = ".json"

    private static func escape(_ part: String) -> String {
        var out = ""
        out.reserveCapacity(part.utf8.count)
        for byte in part.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "-"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".unicodeScalars)
                out.unicodeScalars.append("%")
                out.unicodeScalars.append(hex[Int(byte >> 4)])
                out.unicodeScalars.append(hex[Int(byte & 0x0F)])
            }
        }
        return out
    }
}
