/// A published object with its cached encoding (encoded once per write, served to every read).
struct StoredEntry<Object: StoredObject>: Sendable {
    var object: Object
    var encoded: [UInt8]
    var key: ObjectKey { object.objectKey }
}

/// The store's published objects, kept sorted by key so lists need no sorting and no hashing, with the
/// list encodings cached until the next change.
///
/// `GET /pods` with no selector is the hot read (issue 9 wants it within 2× of nginx serving a static file), so
/// the comma-joined JSON of all objects is built once per change and then served as is.
struct ObjectIndex<Object: StoredObject>: Sendable {
    private(set) var entries: [StoredEntry<Object>]
    private var encodedCache: [[UInt8]]?
    private var joinedCache: [UInt8]?

    init(_ unsorted: [StoredEntry<Object>]) {
        entries = unsorted.sorted { $0.key < $1.key }
    }

    var count: Int { entries.count }

    /// Where `key` is, or where it would be inserted.
    private func position(of key: ObjectKey) -> (index: Int, found: Bool) {
        var low = 0
        var high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if entries[middle].key < key { low = middle + 1 } else { high = middle }
        }
        return (low, low < entries.count && entries[low].key == key)
    }

    subscript(key: ObjectKey) -> StoredEntry<Object>? {
        let (index, found) = position(of: key)
        return found ? entries[index] : nil
    }

    /// Inserts or replaces the entry for its key.
    mutating func upsert(_ entry: StoredEntry<Object>) {
        let (index, found) = position(of: entry.key)
        if found { entries[index] = entry } else { entries.insert(entry, at: index) }
        invalidate()
    }

    mutating func remove(_ key: ObjectKey) {
        let (index, found) = position(of: key)
        guard found else { return }
        entries.remove(at: index)
        invalidate()
    }

    /// Every object's JSON, in key order.
    mutating func allEncoded() -> [[UInt8]] {
        if let encodedCache { return encodedCache }
        let all = entries.map(\.encoded)
        encodedCache = all
        return all
    }

    /// Every object's JSON in key order, separated by commas: the inside of a list's `items` array.
    mutating func joinedEncoded() -> [UInt8] {
        if let joinedCache { return joinedCache }
        var joined: [UInt8] = []
        joined.reserveCapacity(entries.reduce(entries.count) { $0 + $1.encoded.count })
        for (index, entry) in entries.enumerated() {
            if index > 0 { joined.append(UInt8(ascii: ",")) }
            joined.append(contentsOf: entry.encoded)
        }
        joinedCache = joined
        return joined
    }

    private mutating func invalidate() {
        encodedCache = nil
        joinedCache = nil
    }
}
