/// State shared by all decoders of one top-level decode.
final class StrictDecodingSession {
    /// Every decoder that opened a keyed container, in the order they were opened; scanned for members nobody
    /// asked for once decoding succeeds.
    var objectDecoders: [StrictJSONDecoder] = []
    /// The innermost decoder whose value failed with an error that is not a `DecodingError` (and so carries no
    /// coding path of its own).
    var failedDecoder: StrictJSONDecoder?
}

/// A `Decoder` over a `JSONValue` that remembers which object members were asked for, so that unknown fields
/// can be reported afterwards the way the API server's strict field validation does.
///
/// A member counts as known when the type names it in any way: `decode*`, `decodeNil`, `contains`,
/// `nestedContainer`, `superDecoder(forKey:)`. If a nested decode fails and the type recovers (`try?`), the
/// objects opened by the failed attempt are forgotten, so an abandoned interpretation reports nothing.
final class StrictJSONDecoder: Decoder {
    let value: JSONValue
    let parent: StrictJSONDecoder?
    let key: (any CodingKey)?
    let session: StrictDecodingSession

    /// Set when a keyed container is opened on an object.
    private(set) var members: [(key: String, value: JSONValue)] = []
    var used: [Bool] = []
    private var opened = false
    private var lookup: [String: Int]?
    private var lastFound = -1

    init(value: JSONValue, parent: StrictJSONDecoder?, key: (any CodingKey)?, session: StrictDecodingSession) {
        self.value = value
        self.parent = parent
        self.key = key
        self.session = session
    }

    var codingPath: [any CodingKey] {
        var path: [any CodingKey] = []
        var node: StrictJSONDecoder? = self
        while let current = node {
            if let key = current.key { path.append(key) }
            node = current.parent
        }
        return path.reversed()
    }

    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case let .object(objectMembers) = value else {
            throw typeMismatch(expected: "an object", type: [String: JSONValue].self, found: value, key: nil)
        }
        if !opened {
            opened = true
            members = objectMembers
            used = Array(repeating: false, count: objectMembers.count)
            session.objectDecoders.append(self)
        }
        return KeyedDecodingContainer(StrictKeyedDecodingContainer<Key>(decoder: self))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case let .array(items) = value else {
            throw typeMismatch(expected: "an array", type: [JSONValue].self, found: value, key: nil)
        }
        return StrictUnkeyedDecodingContainer(decoder: self, items: items)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        StrictSingleValueDecodingContainer(decoder: self)
    }

    // MARK: Members

    /// Index of the member named `name`, marking it as known.
    func memberIndex(_ name: String) -> Int? {
        let count = members.count
        if count > 12 {
            if lookup == nil {
                var table: [String: Int] = [:]
                table.reserveCapacity(count)
                for (i, member) in members.enumerated() where table[member.key] == nil { table[member.key] = i }
                lookup = table
            }
            guard let i = lookup?[name] else { return nil }
            used[i] = true
            return i
        }
        // Types ask for keys in declaration order and documents usually list them in a similar order, so the
        // scan starts just after the previous hit.
        var i = lastFound + 1
        for _ in 0..<count {
            if i >= count { i = 0 }
            if members[i].key == name {
                used[i] = true
                lastFound = i
                return i
            }
            i += 1
        }
        return nil
    }

    func path(appending key: (any CodingKey)?) -> [any CodingKey] {
        var path = codingPath
        if let key { path.append(key) }
        return path
    }

    // MARK: Nested values

    func decodeNested<T: Decodable>(_ type: T.Type, from value: JSONValue, key: (any CodingKey)?) throws -> T {
        if T.self == JSONValue.self, let v = value as? T { return v }
        if T.self == String.self, let v = try unboxString(value, key: key) as? T { return v }
        if T.self == Int.self, let v = try unboxInteger(value, Int.self, key: key) as? T { return v }
        if T.self == Int64.self, let v = try unboxInteger(value, Int64.self, key: key) as? T { return v }
        if T.self == Int32.self, let v = try unboxInteger(value, Int32.self, key: key) as? T { return v }
        if T.self == Bool.self, let v = try unboxBool(value, key: key) as? T { return v }
        if T.self == Double.self, let v = try unboxDouble(value, key: key) as? T { return v }
        let child = StrictJSONDecoder(value: value, parent: self, key: key, session: session)
        let mark = session.objectDecoders.count
        do {
            return try T(from: child)
        } catch {
            if session.objectDecoders.count > mark { session.objectDecoders.removeSubrange(mark...) }
            if !(error is DecodingError), session.failedDecoder == nil { session.failedDecoder = child }
            throw error
        }
    }

    // MARK: Primitives

    func unboxString(_ value: JSONValue, key: (any CodingKey)?) throws -> String {
        guard case let .string(s) = value else {
            throw typeMismatch(expected: "a string", type: String.self, found: value, key: key)
        }
        return s
    }

    func unboxBool(_ value: JSONValue, key: (any CodingKey)?) throws -> Bool {
        guard case let .bool(b) = value else {
            throw typeMismatch(expected: "a boolean", type: Bool.self, found: value, key: key)
        }
        return b
    }

    func unboxInteger<I: FixedWidthInteger>(_ value: JSONValue, _ type: I.Type, key: (any CodingKey)?) throws -> I {
        switch value {
        case let .int(i):
            if let v = I(exactly: i) { return v }
            throw DecodingError.typeMismatch(I.self, DecodingError.Context(
                codingPath: path(appending: key),
                debugDescription: "expected \(I.self), found number \(i), which is out of range for \(I.self)"))
        case let .double(d):
            // Integral values written with a fraction or exponent ("1.0", "1e3") are accepted when exact,
            // like YAML's 1.0 reaches the API server as 1; anything with a real fraction is refused.
            if d.rounded(.towardZero) == d, let v = I(exactly: d) { return v }
            throw DecodingError.typeMismatch(I.self, DecodingError.Context(
                codingPath: path(appending: key),
                debugDescription: d.rounded(.towardZero) == d
                    ? "expected \(I.self), found number \(d), which is out of range for \(I.self)"
                    : "expected \(I.self), found number \(d), which is not an integer"))
        default:
            throw typeMismatch(expected: "an integer", type: I.self, found: value, key: key)
        }
    }

    func unboxDouble(_ value: JSONValue, key: (any CodingKey)?) throws -> Double {
        switch value {
        case let .double(d): return d
        case let .int(i): return Double(i)
        default: throw typeMismatch(expected: "a number", type: Double.self, found: value, key: key)
        }
    }

    func unboxFloat(_ value: JSONValue, key: (any CodingKey)?) throws -> Float {
        let d = try unboxDouble(value, key: key)
        let f = Float(d)
        guard f.isFinite else {
            throw DecodingError.typeMismatch(Float.self, DecodingError.Context(
                codingPath: path(appending: key),
                debugDescription: "expected Float, found number \(d), which is out of range for Float"))
        }
        return f
    }

    func typeMismatch(expected: String, type: Any.Type, found: JSONValue, key: (any CodingKey)?) -> DecodingError {
        let context = DecodingError.Context(
            codingPath: path(appending: key),
            debugDescription: "expected \(type) (\(expected)), found \(found.kindDescription)")
        if case .null = found {
            return DecodingError.valueNotFound(type, context)
        }
        return DecodingError.typeMismatch(type, context)
    }
}

extension JSONValue {
    /// "string \"abc\"", "number 12", "an object", ... for messages.
    var kindDescription: String {
        switch self {
        case .null: return "null"
        case let .bool(b): return "boolean \(b)"
        case let .int(i): return "number \(i)"
        case let .double(d): return "number \(d)"
        case let .string(s):
            let shown = s.count > 40 ? String(s.prefix(40)) + "…" : s
            return "string \"\(shown)\""
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}

// MARK: - Containers

struct StrictKeyedDecodingContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: StrictJSONDecoder

    var codingPath: [any CodingKey] { decoder.codingPath }

    /// Members in document order; Dictionary and `JSONValue` decode every one of them, which marks them known.
    var allKeys: [Key] { decoder.members.compactMap { Key(stringValue: $0.key) } }

    func contains(_ key: Key) -> Bool { decoder.memberIndex(key.stringValue) != nil }

    private func member(_ key: Key) throws -> JSONValue {
        guard let i = decoder.memberIndex(key.stringValue) else {
            throw DecodingError.keyNotFound(key, DecodingError.Context(
                codingPath: decoder.codingPath,
                debugDescription: "missing required field \"\(key.stringValue)\""))
        }
        return decoder.members[i].value
    }

    /// The member's value, or nil when it is absent or null (`omitempty` and explicit null mean the same).
    private func optionalMember(_ key: Key) -> JSONValue? {
        guard let i = decoder.memberIndex(key.stringValue) else { return nil }
        let value = decoder.members[i].value
        if case .null = value { return nil }
        return value
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        if case .null = try member(key) { return true }
        return false
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try decoder.unboxBool(member(key), key: key) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String {
        try decoder.unboxString(member(key), key: key)
    }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double {
        try decoder.unboxDouble(member(key), key: key)
    }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try decoder.unboxFloat(member(key), key: key) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try integer(key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try integer(key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try integer(key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try integer(key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try integer(key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try integer(key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try integer(key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try integer(key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try integer(key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try integer(key) }

    private func integer<I: FixedWidthInteger>(_ key: Key) throws -> I {
        try decoder.unboxInteger(member(key), I.self, key: key)
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try decoder.decodeNested(T.self, from: member(key), key: key)
    }

    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? {
        try optionalMember(key).map { try decoder.unboxBool($0, key: key) }
    }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? {
        try optionalMember(key).map { try decoder.unboxString($0, key: key) }
    }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? {
        try optionalMember(key).map { try decoder.unboxDouble($0, key: key) }
    }
    func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? {
        try optionalMember(key).map { try decoder.unboxFloat($0, key: key) }
    }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try optionalInteger(key) }
    func decodeIfPresent(_ type: Int8.Type, forKey key: Key) throws -> Int8? { try optionalInteger(key) }
    func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? { try optionalInteger(key) }
    func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? { try optionalInteger(key) }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try optionalInteger(key) }
    func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? { try optionalInteger(key) }
    func decodeIfPresent(_ type: UInt8.Type, forKey key: Key) throws -> UInt8? { try optionalInteger(key) }
    func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? { try optionalInteger(key) }
    func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? { try optionalInteger(key) }
    func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? { try optionalInteger(key) }

    private func optionalInteger<I: FixedWidthInteger>(_ key: Key) throws -> I? {
        try optionalMember(key).map { try decoder.unboxInteger($0, I.self, key: key) }
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        try optionalMember(key).map { try decoder.decodeNested(T.self, from: $0, key: key) }
    }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type, forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
        let child = StrictJSONDecoder(value: try member(key), parent: decoder, key: key, session: decoder.session)
        return try child.container(keyedBy: NestedKey.self)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        let child = StrictJSONDecoder(value: try member(key), parent: decoder, key: key, session: decoder.session)
        return try child.unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder { superDecoder(named: StringCodingKey("super")) }

    func superDecoder(forKey key: Key) throws -> any Decoder { superDecoder(named: key) }

    private func superDecoder(named key: any CodingKey) -> StrictJSONDecoder {
        let value = decoder.memberIndex(key.stringValue).map { decoder.members[$0].value } ?? .null
        return StrictJSONDecoder(value: value, parent: decoder, key: key, session: decoder.session)
    }
}

struct StrictUnkeyedDecodingContainer: UnkeyedDecodingContainer {
    let decoder: StrictJSONDecoder
    let items: [JSONValue]
    private(set) var currentIndex = 0

    init(decoder: StrictJSONDecoder, items: [JSONValue]) {
        self.decoder = decoder
        self.items = items
    }

    var codingPath: [any CodingKey] { decoder.codingPath }
    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    private var indexKey: IndexCodingKey { IndexCodingKey(currentIndex) }

    private func current<T>(_ type: T.Type) throws -> JSONValue {
        guard currentIndex < items.count else {
            throw DecodingError.valueNotFound(T.self, DecodingError.Context(
                codingPath: decoder.path(appending: indexKey),
                debugDescription: "expected \(T.self), but the array has only \(items.count) elements"))
        }
        return items[currentIndex]
    }

    mutating func decodeNil() throws -> Bool {
        if case .null = try current(Never.self) {
            currentIndex += 1
            return true
        }
        return false
    }

    private mutating func next<T>(_ unbox: (JSONValue, IndexCodingKey) throws -> T) throws -> T {
        let value = try unbox(current(T.self), indexKey)
        currentIndex += 1
        return value
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try next { [decoder] in try decoder.unboxBool($0, key: $1) } }
    mutating func decode(_ type: String.Type) throws -> String {
        try next { [decoder] in try decoder.unboxString($0, key: $1) }
    }
    mutating func decode(_ type: Double.Type) throws -> Double {
        try next { [decoder] in try decoder.unboxDouble($0, key: $1) }
    }
    mutating func decode(_ type: Float.Type) throws -> Float {
        try next { [decoder] in try decoder.unboxFloat($0, key: $1) }
    }
    mutating func decode(_ type: Int.Type) throws -> Int { try integer() }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try integer() }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try integer() }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try integer() }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try integer() }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try integer() }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try integer() }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try integer() }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try integer() }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try integer() }

    private mutating func integer<I: FixedWidthInteger>() throws -> I {
        try next { [decoder] in try decoder.unboxInteger($0, I.self, key: $1) }
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try next { [decoder] in try decoder.decodeNested(T.self, from: $0, key: $1) }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type
    ) throws -> KeyedDecodingContainer<NestedKey> {
        try next { [decoder] value, key in
            try StrictJSONDecoder(value: value, parent: decoder, key: key, session: decoder.session)
                .container(keyedBy: NestedKey.self)
        }
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try next { [decoder] value, key in
            try StrictJSONDecoder(value: value, parent: decoder, key: key, session: decoder.session)
                .unkeyedContainer()
        }
    }

    mutating func superDecoder() throws -> any Decoder {
        try next { [decoder] value, key in
            StrictJSONDecoder(value: value, parent: decoder, key: key, session: decoder.session)
        }
    }
}

struct StrictSingleValueDecodingContainer: SingleValueDecodingContainer {
    let decoder: StrictJSONDecoder

    var codingPath: [any CodingKey] { decoder.codingPath }

    func decodeNil() -> Bool {
        if case .null = decoder.value { return true }
        return false
    }

    func decode(_ type: Bool.Type) throws -> Bool { try decoder.unboxBool(decoder.value, key: nil) }
    func decode(_ type: String.Type) throws -> String { try decoder.unboxString(decoder.value, key: nil) }
    func decode(_ type: Double.Type) throws -> Double { try decoder.unboxDouble(decoder.value, key: nil) }
    func decode(_ type: Float.Type) throws -> Float { try decoder.unboxFloat(decoder.value, key: nil) }
    func decode(_ type: Int.Type) throws -> Int { try decoder.unboxInteger(decoder.value, Int.self, key: nil) }
    func decode(_ type: Int8.Type) throws -> Int8 { try decoder.unboxInteger(decoder.value, Int8.self, key: nil) }
    func decode(_ type: Int16.Type) throws -> Int16 { try decoder.unboxInteger(decoder.value, Int16.self, key: nil) }
    func decode(_ type: Int32.Type) throws -> Int32 { try decoder.unboxInteger(decoder.value, Int32.self, key: nil) }
    func decode(_ type: Int64.Type) throws -> Int64 { try decoder.unboxInteger(decoder.value, Int64.self, key: nil) }
    func decode(_ type: UInt.Type) throws -> UInt { try decoder.unboxInteger(decoder.value, UInt.self, key: nil) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try decoder.unboxInteger(decoder.value, UInt8.self, key: nil) }
    func decode(_ type: UInt16.Type) throws -> UInt16 {
        try decoder.unboxInteger(decoder.value, UInt16.self, key: nil)
    }
    func decode(_ type: UInt32.Type) throws -> UInt32 {
        try decoder.unboxInteger(decoder.value, UInt32.self, key: nil)
    }
    func decode(_ type: UInt64.Type) throws -> UInt64 {
        try decoder.unboxInteger(decoder.value, UInt64.self, key: nil)
    }
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try decoder.decodeNested(T.self, from: decoder.value, key: nil)
    }
}
