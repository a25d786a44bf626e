/// Query-string parameters: ordered, repeated keys kept, percent-decoded with '+' as space.
public struct QueryParameters: Sendable {
    /// The parameters in the order they appeared.
    public var items: [(name: String, value: String)]

    /// Parameters from already-decoded pairs.
    public init(items: [(name: String, value: String)] = []) { self.items = items }

    /// Parses a raw query string (without '?'). Malformed escapes are kept literally, as browsers do.
    public init(parsing query: Substring) {
        items = query.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            if let eq = pair.firstIndex(of: "=") {
                return (name: PercentDecoding.decode(pair[..<eq], plusIsSpace: true),
                        value: PercentDecoding.decode(pair[pair.index(after: eq)...], plusIsSpace: true))
            }
            return (name: PercentDecoding.decode(pair, plusIsSpace: true), value: "")
        }
    }

    /// The first value for `name`, or nil.
    public subscript(name: String) -> String? { items.first { $0.name == name }?.value }

    /// Every value for `name`, in order (e.g. repeated `?command=sh&command=-c`).
    public func all(_ name: String) -> [String] { items.filter { $0.name == name }.map(\.value) }
}

/// Percent-decoding of URL components.
enum PercentDecoding {
    /// Decodes %XX escapes (and '+' when asked). Invalid escapes stay as they are; invalid UTF-8 is repaired.
    static func decode(_ s: Substring, plusIsSpace: Bool) -> String {
        let utf8 = Array(s.utf8)
        guard utf8.contains(where: { $0 == 0x25 || (plusIsSpace && $0 == 0x2B) }) else { return String(s) }
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count)
        var i = 0
        while i < utf8.count {
            let c = utf8[i]
            if c == 0x25, i + 2 < utf8.count, let h = hex(utf8[i + 1]), let l = hex(utf8[i + 2]) {
                out.append(h << 4 | l)
                i += 3
            } else {
                out.append(plusIsSpace && c == 0x2B ? 0x20 : c)
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// True when every %-escape in s is well formed.
    static func isWellFormed(_ s: Substring) -> Bool {
        let utf8 = Array(s.utf8)
        var i = 0
        while i < utf8.count {
            if utf8[i] == 0x25 {
                guard i + 2 < utf8.count, hex(utf8[i + 1]) != nil, hex(utf8[i + 2]) != nil else { return false }
                i += 3
            } else {
                i += 1
            }
        }
        return true
    }

    private static func hex(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x41...0x46: return c - 0x41 + 10
        case 0x61...0x66: return c - 0x61 + 10
        default: return nil
        }
    }
}
