/// Ordered HTTP header fields. Order and repeated names are preserved; lookups ignore ASCII case.
public struct HTTPHeaders: Sendable, Sequence {
    private var storage: [(name: String, value: String)]

    /// An empty header list.
    public init() { storage = [] }

    /// Headers from ordered (name, value) pairs.
    public init(_ pairs: [(String, String)]) { storage = pairs.map { (name: $0.0, value: $0.1) } }

    /// The first value for `name`, or nil.
    public subscript(name: String) -> String? {
        storage.first { Self.equal($0.name, name) }?.value
    }

    /// All values for `name`, in order.
    public func values(_ name: String) -> [String] {
        storage.filter { Self.equal($0.name, name) }.map(\.value)
    }

    /// Appends a field, keeping any existing ones of that name.
    public mutating func add(_ name: String, _ value: String) { storage.append((name: name, value: value)) }

    /// Replaces every field of that name with one field.
    public mutating func set(_ name: String, _ value: String) {
        remove(name)
        storage.append((name: name, value: value))
    }

    /// Removes every field of that name.
    public mutating func remove(_ name: String) { storage.removeAll { Self.equal($0.name, name) } }

    /// True when a field of that name exists.
    public func contains(_ name: String) -> Bool { storage.contains { Self.equal($0.name, name) } }

    /// Number of fields.
    public var count: Int { storage.count }

    /// Iterates (name, value) pairs in order.
    public func makeIterator() -> IndexingIterator<[(name: String, value: String)]> { storage.makeIterator() }

    /// True when the comma-separated tokens of `name` contain `token` (case-insensitive), e.g. Connection: upgrade.
    public func containsToken(_ name: String, _ token: String) -> Bool {
        values(name).contains { value in
            value.split(separator: ",").contains { Self.equal($0.trimmingSpaces, token) }
        }
    }

    static func equal<A: StringProtocol, B: StringProtocol>(_ a: A, _ b: B) -> Bool {
        let x = a.utf8, y = b.utf8
        guard x.count == y.count else { return false }
        return zip(x, y).allSatisfy { asciiLower($0) == asciiLower($1) }
    }

    private static func asciiLower(_ c: UInt8) -> UInt8 { c >= 65 && c <= 90 ? c + 32 : c }
}

extension StringProtocol {
    /// The string without leading and trailing spaces and tabs (HTTP optional whitespace).
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}
