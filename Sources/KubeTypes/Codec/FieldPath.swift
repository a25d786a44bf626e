/// One step of a path into a JSON document.
enum FieldPathComponent: Sendable, Hashable {
    case key(String)
    case index(Int)
}

/// The coding key an unkeyed container uses for its elements; marks "array index" in paths, which a
/// CodingKeys enum with Int raw values (that has an `intValue` too) must not be mistaken for.
struct IndexCodingKey: CodingKey {
    let index: Int
    init(_ index: Int) { self.index = index }
    init?(stringValue: String) { return nil }
    init?(intValue: Int) { self.index = intValue }
    var stringValue: String { "Index \(index)" }
    var intValue: Int? { index }
}

/// A coding key with an arbitrary string, for object members that have no declared key (maps, `super`).
struct StringCodingKey: CodingKey {
    let stringValue: String
    init(_ string: String) { self.stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { self.stringValue = String(intValue) }
    var intValue: Int? { nil }
}

/// Formats paths the way Kubernetes names fields: `spec.containers[0].ports[1].containerPort`.
enum FieldPath {
    static func components(_ codingPath: [any CodingKey]) -> [FieldPathComponent] {
        codingPath.map { key in
            if let index = key as? IndexCodingKey { return .index(index.index) }
            return .key(key.stringValue)
        }
    }

    static func string(_ codingPath: [any CodingKey]) -> String {
        string(components(codingPath))
    }

    static func string(_ components: [FieldPathComponent]) -> String {
        var out = ""
        for component in components {
            switch component {
            case let .index(i):
                out += "[\(i)]"
            case let .key(k):
                // Map keys such as label names (`app.kubernetes.io/name`) would be ambiguous after a dot;
                // Kubernetes' field.Path writes them in brackets, and so do we.
                if k.isEmpty || k.utf8.contains(where: { $0 == 0x2E || $0 == 0x2F || $0 == 0x5B || $0 == 0x5D || $0 == 0x20 }) {
                    out += "[\(k)]"
                } else {
                    if !out.isEmpty { out += "." }
                    out += k
                }
            }
        }
        return out
    }

    /// `field "a.b"` or `the document root`, for messages.
    static func describe(_ path: String) -> String {
        path.isEmpty ? "the document root" : "field \"\(path)\""
    }
}

/// 1-based line and column (in Unicode scalars) of a byte offset, computed only when an error is reported.
func lineAndColumn(of offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> (line: Int, column: Int) {
    var line = 1
    var column = 1
    var i = 0
    let end = min(offset, bytes.count)
    while i < end {
        let b = bytes[i]
        if b == 0x0A {
            line += 1
            column = 1
        } else if b & 0xC0 != 0x80 {
            column += 1
        }
        i += 1
    }
    return (line, column)
}
