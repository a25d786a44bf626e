/// An `Encoder` that writes JSON bytes straight into one buffer, with no intermediate tree.
///
/// Synthesized `encode(to:)` methods emit keys in CodingKeys declaration order and skip nil optionals through
/// `encodeIfPresent`, so streaming them gives exactly the order and omission the API needs. One encoder object
/// serves a whole value: each nested value pushes a frame, and its closing bracket is written when its
/// `encode(to:)` returns. The rare out-of-order APIs (`nestedContainer`, `superEncoder`) write into a detached
/// child encoder whose bytes are spliced in when the enclosing value finishes.
final class DirectJSONEncoder: Encoder {
    /// What the value of a frame has become so far.
    enum FrameKind {
        case empty, keyed, unkeyed, single, singleWritten
    }

    /// One value being encoded. Plain data, so the frame stack costs no reference counting.
    struct Frame {
        var kind: FrameKind = .empty
        var needsComma = false
        var hasSplices = false
        var count = 0
        let serial: Int
    }

    /// A detached child to insert at an absolute offset of `out` when the frame at `depth` finishes.
    struct Splice {
        let depth: Int
        let offset: Int
        let child: DirectJSONEncoder
    }

    // The encoder is confined to one call of `KubeJSON.encode` on one thread, and these properties are only
    // touched through its own methods, never across an overlapping access; the dynamic exclusivity checks that
    // Swift would otherwise run on every append cost more than the JSON writing itself.
    @exclusivity(unchecked) var out: [UInt8] = []
    @exclusivity(unchecked) private(set) var frames: [Frame] = []
    @exclusivity(unchecked) private var keys: [any CodingKey] = []  // keys[i] leads from frame i to frame i+1
    private var splices: [Splice] = []
    /// Answers of the (costly) runtime conformance check, per type, for the duration of one encode.
    private var dictionaryTypes: [ObjectIdentifier: Bool] = [:]

    private func isStringKeyedDictionary<T>(_ type: T.Type) -> Bool {
        let id = ObjectIdentifier(type)
        if let known = dictionaryTypes[id] { return known }
        let answer = type is any SortedJSONObjectEncodable.Type
        dictionaryTypes[id] = answer
        return answer
    }
    private let basePath: [any CodingKey]
    private var nextSerial = 0
    /// A misuse detected in a non-throwing API, reported when the value finishes.
    private var deferredError: EncodingError?

    init(basePath: [any CodingKey] = []) { self.basePath = basePath }

    var codingPath: [any CodingKey] { basePath + keys }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func codingPath(atDepth depth: Int) -> [any CodingKey] { basePath + keys.prefix(depth) }

    // MARK: Frames

    private func pushFrame(kind: FrameKind = .empty) {
        nextSerial += 1
        frames.append(Frame(kind: kind, serial: nextSerial))
    }

    /// Creates the detached root frame of a child encoder.
    fileprivate func startDetached(keyed: Bool) {
        pushFrame(kind: keyed ? .keyed : .empty)
        if keyed { out.append(UInt8(ascii: "{")) }
    }

    /// Closes the top frame: brackets, then splices.
    private func finishTopFrame() throws {
        if let deferredError { throw deferredError }
        let index = frames.count - 1
        switch frames[index].kind {
        case .empty, .single: out.append(contentsOf: [UInt8(ascii: "{"), UInt8(ascii: "}")])
        case .keyed: out.append(UInt8(ascii: "}"))
        case .unkeyed: out.append(UInt8(ascii: "]"))
        case .singleWritten: break
        }
        let hasSplices = frames[index].hasSplices
        frames.removeLast()
        if hasSplices {
            let mine = splices.filter { $0.depth == index }
            splices.removeAll { $0.depth >= index }
            for splice in mine.reversed() {
                let bytes = try splice.child.finishDetached()
                out.insert(contentsOf: bytes, at: splice.offset)
            }
        }
    }

    fileprivate func finishDetached() throws -> [UInt8] {
        while !frames.isEmpty { try finishTopFrame() }
        return out
    }

    /// The frame a container created at `depth` with `serial` may write to, or an error if it is not current.
    @inline(__always)
    func checkCurrent(depth: Int, serial: Int) throws {
        guard depth == frames.count - 1, frames[depth].serial == serial else {
            throw EncodingError.invalidValue(
                0, EncodingError.Context(
                    codingPath: codingPath(atDepth: min(depth, keys.count)),
                    debugDescription: "a container was used after its value finished, or out of order"))
        }
    }

    private func misuse(_ message: String) {
        if deferredError == nil {
            deferredError = EncodingError.invalidValue(
                0, EncodingError.Context(codingPath: codingPath, debugDescription: message))
        }
    }

    // MARK: Encoder

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let depth = frames.count - 1
        switch frames[depth].kind {
        case .empty:
            frames[depth].kind = .keyed
            out.append(UInt8(ascii: "{"))
        case .keyed:
            break  // a second request (e.g. from a superclass) continues the same object
        default:
            misuse("requested a keyed container for a value that already encoded something else")
        }
        return KeyedEncodingContainer(DirectKeyedEncodingContainer<Key>(
            encoder: self, depth: depth, serial: frames[depth].serial))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let depth = frames.count - 1
        switch frames[depth].kind {
        case .empty:
            frames[depth].kind = .unkeyed
            out.append(UInt8(ascii: "["))
        case .unkeyed:
            break
        default:
            misuse("requested an unkeyed container for a value that already encoded something else")
        }
        return DirectUnkeyedEncodingContainer(encoder: self, depth: depth, serial: frames[depth].serial)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        let depth = frames.count - 1
        switch frames[depth].kind {
        case .empty: frames[depth].kind = .single
        case .single, .singleWritten: break
        default: misuse("requested a single value container for a value that already encoded a container")
        }
        return DirectSingleValueEncodingContainer(encoder: self, depth: depth, serial: frames[depth].serial)
    }

    // MARK: Writing

    /// Writes the separator and `"key":` for a member of the keyed frame at `depth`.
    @inline(__always)
    func writeKey(_ key: String, depth: Int, serial: Int) throws {
        try checkCurrent(depth: depth, serial: serial)
        if frames[depth].needsComma { out.append(UInt8(ascii: ",")) } else { frames[depth].needsComma = true }
        JSONWriter.appendString(key, to: &out)
        out.append(UInt8(ascii: ":"))
    }

    /// Writes the separator before an element of the unkeyed frame at `depth`; returns the element index.
    @inline(__always)
    func beginElement(depth: Int, serial: Int) throws -> Int {
        try checkCurrent(depth: depth, serial: serial)
        if frames[depth].needsComma { out.append(UInt8(ascii: ",")) } else { frames[depth].needsComma = true }
        let index = frames[depth].count
        frames[depth].count += 1
        return index
    }

    func elementCount(depth: Int) -> Int { depth < frames.count ? frames[depth].count : 0 }

    func markSingleWritten(depth: Int, serial: Int) throws {
        try checkCurrent(depth: depth, serial: serial)
        guard frames[depth].kind == .single else {
            throw EncodingError.invalidValue(
                0, EncodingError.Context(codingPath: codingPath,
                    debugDescription: "a single value container was asked to encode a second value"))
        }
        frames[depth].kind = .singleWritten
    }

    func writeNull() { out.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C]) }
    func writeBool(_ b: Bool) {
        out.append(contentsOf: b ? [0x74, 0x72, 0x75, 0x65] : [0x66, 0x61, 0x6C, 0x73, 0x65])
    }
    func writeString(_ s: String) { JSONWriter.appendString(s, to: &out) }
    func writeInteger<I: BinaryInteger>(_ i: I) { JSONWriter.appendInteger(i, to: &out) }

    func writeDouble(_ d: Double, key: (any CodingKey)?) throws {
        guard JSONWriter.appendDouble(d, to: &out) else { throw nonFinite(d, key: key) }
    }

    func writeFloat(_ f: Float, key: (any CodingKey)?) throws {
        guard JSONWriter.appendFloat(f, to: &out) else { throw nonFinite(f, key: key) }
    }

    private func nonFinite(_ value: Any, key: (any CodingKey)?) -> EncodingError {
        let path = codingPath + (key.map { [$0] } ?? [])
        return EncodingError.invalidValue(value, EncodingError.Context(
            codingPath: path,
            debugDescription: "\(value) at \(FieldPath.describe(FieldPath.string(path))) is not representable in JSON"))
    }

    /// Encodes any value at the current position; `key` names it for the coding path.
    func encodeValue<T: Encodable>(_ value: T, key: (any CodingKey)?) throws {
        // Primitive fast paths: arrays of strings and maps of strings never build frames.
        if T.self == String.self, let s = value as? String { return writeString(s) }
        if T.self == Int.self, let i = value as? Int { return writeInteger(i) }
        if T.self == Int64.self, let i = value as? Int64 { return writeInteger(i) }
        if T.self == Int32.self, let i = value as? Int32 { return writeInteger(i) }
        if T.self == Bool.self, let b = value as? Bool { return writeBool(b) }
        if T.self == Double.self, let d = value as? Double { return try writeDouble(d, key: key) }
        if T.self == JSONValue.self, let v = value as? JSONValue {
            guard v.isFiniteEverywhere else {
                throw EncodingError.invalidValue(v, EncodingError.Context(
                    codingPath: codingPath + (key.map { [$0] } ?? []),
                    debugDescription: "a JSONValue holds a non-finite number"))
            }
            return JSONWriter.append(v, to: &out)
        }
        if isStringKeyedDictionary(T.self), let map = value as? any SortedJSONObjectEncodable {
            return try map.encodeSortedMembers(into: self, key: key)
        }
        let frameBase = frames.count
        let keyBase = keys.count
        pushFrame()
        if let key { keys.append(key) }
        do {
            try value.encode(to: self)
            try finishTopFrame()
        } catch {
            restore(frameBase: frameBase, keyBase: keyBase)
            throw error
        }
        if key != nil { keys.removeLast() }
    }

    /// Puts the frame and key stacks back as they were, in case the caller recovers from an error.
    private func restore(frameBase: Int, keyBase: Int) {
        if frames.count > frameBase { frames.removeSubrange(frameBase...) }
        splices.removeAll { $0.depth >= frameBase }
        if keys.count > keyBase { keys.removeSubrange(keyBase...) }
    }

    /// Writes a String-keyed dictionary as an object with its keys sorted by UTF-8 bytes. Swift dictionaries
    /// have no order of their own; Go's encoding/json sorts map keys too, so output is deterministic and
    /// matches the API server. Only the keys are sorted (a `[String]` sort is specialised and cheap, a sort of
    /// generic key-value pairs is not), and string-to-string maps (labels, annotations) skip frames entirely.
    func encodeSortedObject<V: Encodable>(_ map: [String: V], key: (any CodingKey)?) throws {
        let sortedKeys = map.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        if V.self == String.self {
            // The types are identical, so this is a plain reinterpretation; `as?` would convert element-wise.
            let strings = unsafeBitCast(map, to: [String: String].self)
            out.append(UInt8(ascii: "{"))
            for (i, k) in sortedKeys.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                JSONWriter.appendString(k, to: &out)
                out.append(UInt8(ascii: ":"))
                JSONWriter.appendString(strings[k] ?? "", to: &out)
            }
            out.append(UInt8(ascii: "}"))
            return
        }
        let frameBase = frames.count
        let keyBase = keys.count
        pushFrame(kind: .keyed)
        if let key { keys.append(key) }
        out.append(UInt8(ascii: "{"))
        do {
            for (i, k) in sortedKeys.enumerated() {
                guard let value = map[k] else { continue }
                if i > 0 { out.append(UInt8(ascii: ",")) }
                JSONWriter.appendString(k, to: &out)
                out.append(UInt8(ascii: ":"))
                try encodeValue(value, key: StringCodingKey(k))
            }
        } catch {
            restore(frameBase: frameBase, keyBase: keyBase)
            throw error
        }
        out.append(UInt8(ascii: "}"))
        restore(frameBase: frameBase, keyBase: keyBase)
    }

    /// Creates a detached child whose output is inserted here when the frame at `depth` finishes.
    func detachedChild(depth: Int, key: any CodingKey, keyed: Bool) -> DirectJSONEncoder {
        let child = DirectJSONEncoder(basePath: codingPath(atDepth: depth) + [key])
        child.startDetached(keyed: keyed)
        if depth < frames.count {
            frames[depth].hasSplices = true
            splices.append(Splice(depth: depth, offset: out.count, child: child))
        } else {
            misuse("a nested container was requested after its parent finished")
        }
        return child
    }
}

/// Dictionaries with String keys, encoded with their keys sorted by UTF-8 bytes.
protocol SortedJSONObjectEncodable {
    func encodeSortedMembers(into encoder: DirectJSONEncoder, key: (any CodingKey)?) throws
}

extension Dictionary: SortedJSONObjectEncodable where Key == String, Value: Encodable {
    func encodeSortedMembers(into encoder: DirectJSONEncoder, key: (any CodingKey)?) throws {
        try encoder.encodeSortedObject(self, key: key)
    }
}

extension JSONValue {
    /// False when a double somewhere in the tree is NaN or infinite.
    var isFiniteEverywhere: Bool {
        switch self {
        case let .double(d): return d.isFinite
        case let .array(items): return items.allSatisfy(\.isFiniteEverywhere)
        case let .object(members): return members.allSatisfy { $0.value.isFiniteEverywhere }
        default: return true
        }
    }
}

// MARK: - Containers

struct DirectKeyedEncodingContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoder: DirectJSONEncoder
    let depth: Int
    let serial: Int

    var codingPath: [any CodingKey] { encoder.codingPath(atDepth: depth) }

    mutating func encodeNil(forKey key: Key) throws {
        try encoder.writeKey(key.stringValue, depth: depth, serial: serial)
        encoder.writeNull()
    }
    mutating func encode(_ value: Bool, forKey key: Key) throws {
        try encoder.writeKey(key.stringValue, depth: depth, serial: serial)
        encoder.writeBool(value)
    }
    mutating func encode(_ value: String, forKey key: Key) throws {
        try encoder.writeKey(key.stringValue, depth: depth, serial: serial)
        encoder.writeString(value)
    }
    mutating func encode(_ value: Double, forKey key: Key) throws {
        try encoder.writeKey(key.stringValue, depth: depth, serial: serial)
        try encoder.writeDouble(value, key: key)
    }
    mutating func encode(_ value: Float, forKey key: Key) throws {
        try encoder.writeKey(key.stringValue, depth: depth, serial: serial)
        try encoder.writeFloat(value, key: key)
    }
    mutating func encode(_ value: Int, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { try integer(value, key) }

    private func integer<I: BinaryInteger>(_ value: I, _ key: Key) throws {
        try encoder.writeKey(key.stringValue, depth: depth, serial: serial)
        encoder.writeInteger(value)
    }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try encoder.writeKey(key.stringValue, depth: depth, serial: serial)
        try encoder.encodeValue(value, key: key)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        let child = detached(key, keyed: true)
        return KeyedEncodingContainer(DirectKeyedEncodingContainer<NestedKey>(
            encoder: child, depth: 0, serial: child.frames[0].serial))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let child = detached(key, keyed: false)
        return child.unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder { detached(StringCodingKey("super"), keyed: false) }
    mutating func superEncoder(forKey key: Key) -> any Encoder { detached(key, keyed: false) }

    private func detached(_ key: any CodingKey, keyed: Bool) -> DirectJSONEncoder {
        do {
            try encoder.writeKey(key.stringValue, depth: depth, serial: serial)
        } catch {
            // Reported by the child: a detached encoder with no parent frame records the misuse.
            return encoder.detachedChild(depth: Int.max, key: key, keyed: keyed)
        }
        return encoder.detachedChild(depth: depth, key: key, keyed: keyed)
    }
}

struct DirectUnkeyedEncodingContainer: UnkeyedEncodingContainer {
    let encoder: DirectJSONEncoder
    let depth: Int
    let serial: Int

    var codingPath: [any CodingKey] { encoder.codingPath(atDepth: depth) }
    var count: Int { encoder.elementCount(depth: depth) }

    mutating func encodeNil() throws {
        _ = try encoder.beginElement(depth: depth, serial: serial)
        encoder.writeNull()
    }
    mutating func encode(_ value: Bool) throws {
        _ = try encoder.beginElement(depth: depth, serial: serial)
        encoder.writeBool(value)
    }
    mutating func encode(_ value: String) throws {
        _ = try encoder.beginElement(depth: depth, serial: serial)
        encoder.writeString(value)
    }
    mutating func encode(_ value: Double) throws {
        let index = try encoder.beginElement(depth: depth, serial: serial)
        try encoder.writeDouble(value, key: IndexCodingKey(index))
    }
    mutating func encode(_ value: Float) throws {
        let index = try encoder.beginElement(depth: depth, serial: serial)
        try encoder.writeFloat(value, key: IndexCodingKey(index))
    }
    mutating func encode(_ value: Int) throws { try integer(value) }
    mutating func encode(_ value: Int8) throws { try integer(value) }
    mutating func encode(_ value: Int16) throws { try integer(value) }
    mutating func encode(_ value: Int32) throws { try integer(value) }
    mutating func encode(_ value: Int64) throws { try integer(value) }
    mutating func encode(_ value: UInt) throws { try integer(value) }
    mutating func encode(_ value: UInt8) throws { try integer(value) }
    mutating func encode(_ value: UInt16) throws { try integer(value) }
    mutating func encode(_ value: UInt32) throws { try integer(value) }
    mutating func encode(_ value: UInt64) throws { try integer(value) }

    private func integer<I: BinaryInteger>(_ value: I) throws {
        _ = try encoder.beginElement(depth: depth, serial: serial)
        encoder.writeInteger(value)
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        let index = try encoder.beginElement(depth: depth, serial: serial)
        try encoder.encodeValue(value, key: IndexCodingKey(index))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type
    ) -> KeyedEncodingContainer<NestedKey> {
        let child = detached(keyed: true)
        return KeyedEncodingContainer(DirectKeyedEncodingContainer<NestedKey>(
            encoder: child, depth: 0, serial: child.frames[0].serial))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        detached(keyed: false).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder { detached(keyed: false) }

    private func detached(keyed: Bool) -> DirectJSONEncoder {
        do {
            let index = try encoder.beginElement(depth: depth, serial: serial)
            return encoder.detachedChild(depth: depth, key: IndexCodingKey(index), keyed: keyed)
        } catch {
            return encoder.detachedChild(depth: Int.max, key: IndexCodingKey(count), keyed: keyed)
        }
    }
}

struct DirectSingleValueEncodingContainer: SingleValueEncodingContainer {
    let encoder: DirectJSONEncoder
    let depth: Int
    let serial: Int

    var codingPath: [any CodingKey] { encoder.codingPath(atDepth: depth) }

    private func begin() throws { try encoder.markSingleWritten(depth: depth, serial: serial) }

    mutating func encodeNil() throws { try begin(); encoder.writeNull() }
    mutating func encode(_ value: Bool) throws { try begin(); encoder.writeBool(value) }
    mutating func encode(_ value: String) throws { try begin(); encoder.writeString(value) }
    mutating func encode(_ value: Double) throws { try begin(); try encoder.writeDouble(value, key: nil) }
    mutating func encode(_ value: Float) throws { try begin(); try encoder.writeFloat(value, key: nil) }
    mutating func encode(_ value: Int) throws { try begin(); encoder.writeInteger(value) }
    mutating func encode(_ value: Int8) throws { try begin(); encoder.writeInteger(value) }
    mutating func encode(_ value: Int16) throws { try begin(); encoder.writeInteger(value) }
    mutating func encode(_ value: Int32) throws { try begin(); encoder.writeInteger(value) }
    mutating func encode(_ value: Int64) throws { try begin(); encoder.writeInteger(value) }
    mutating func encode(_ value: UInt) throws { try begin(); encoder.writeInteger(value) }
    mutating func encode(_ value: UInt8) throws { try begin(); encoder.writeInteger(value) }
    mutating func encode(_ value: UInt16) throws { try begin(); encoder.writeInteger(value) }
    mutating func encode(_ value: UInt32) throws { try begin(); encoder.writeInteger(value) }
    mutating func encode(_ value: UInt64) throws { try begin(); encoder.writeInteger(value) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        try begin()
        try encoder.encodeValue(value, key: nil)
    }
}
