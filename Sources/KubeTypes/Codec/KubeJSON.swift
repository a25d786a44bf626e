/// Kubernetes-flavoured JSON: a strict decoder (unknown and duplicate fields are errors with Kubernetes field
/// paths) and a direct, compact encoder that writes bytes with no intermediate tree.
public enum KubeJSON {
    /// Strict decode of a JSON document.
    ///
    /// Unknown object members are an error naming their full field path (as the API server's strict field
    /// validation does: `unknown field "spec.containers[0].imagePullPolcy"`), all of them at once; duplicate
    /// keys are an error; syntax errors carry line and column. Throws `KubeDecodingError`.
    public static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        try decode(T.self, from: parse(bytes))
    }

    /// Strict decode of a parsed tree: every member of every object the type reads must be known to it.
    /// (A tree built by hand may hold duplicate keys; the first one is used.) Throws `KubeDecodingError`.
    public static func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
        let session = StrictDecodingSession()
        let root = StrictJSONDecoder(value: value, parent: nil, key: nil, session: session)
        let result: T
        do {
            if T.self == JSONValue.self, let tree = value as? T { return tree }
            result = try T(from: root)
        } catch let error as KubeDecodingError {
            throw error
        } catch let error as DecodingError {
            throw convert(error)
        } catch {
            let path = FieldPath.string(session.failedDecoder?.codingPath ?? [])
            throw KubeDecodingError(
                kind: .invalidValue, fieldPath: path,
                message: "invalid value for \(FieldPath.describe(path)): \(error)")
        }
        if let unknown = unknownFields(session) { throw unknown }
        return result
    }

    /// Encodes `value` as compact JSON: keys in CodingKeys declaration order, nil optionals omitted, String-keyed
    /// dictionaries sorted by key (as Go does for maps), doubles in Go's notation. Throws `EncodingError` for
    /// NaN or infinite numbers and for misused containers.
    public static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1024)
        try encode(value, into: &buffer)
        return buffer
    }

    /// Appends the encoding of `value` to `buffer` (for building lists and watch streams without copies).
    /// On error `buffer` is left as it was.
    public static func encode<T: Encodable>(_ value: T, into buffer: inout [UInt8]) throws {
        let encoder = DirectJSONEncoder()
        let start = buffer.count
        swap(&encoder.out, &buffer)
        defer { swap(&encoder.out, &buffer) }
        do {
            try encoder.encodeValue(value, key: nil)
        } catch {
            encoder.out.removeSubrange(start...)
            throw error
        }
    }

    /// Parses a JSON document into a tree. Throws `KubeDecodingError` (syntax, duplicate field, or a number out
    /// of range), with line and column.
    public static func parse(_ bytes: [UInt8]) throws -> JSONValue {
        try JSONParser.parse(bytes)
    }

    /// Appends the compact JSON text of `value` to `buffer`. Object members keep their order. A non-finite
    /// double (which `parse` never produces) is written as `null`, since JSON has no way to say it.
    public static func serialize(_ value: JSONValue, into buffer: inout [UInt8]) {
        JSONWriter.append(value, to: &buffer)
    }

    // MARK: - Errors

    /// Maps a Swift `DecodingError` to the Kubernetes-style error.
    static func convert(_ error: DecodingError) -> KubeDecodingError {
        switch error {
        case let .typeMismatch(_, context), let .valueNotFound(_, context):
            let path = FieldPath.string(context.codingPath)
            return KubeDecodingError(
                kind: .typeMismatch, fieldPath: path,
                message: "invalid type for \(FieldPath.describe(path)): \(context.debugDescription)")
        case let .keyNotFound(key, context):
            let path = FieldPath.string(context.codingPath + [key])
            return KubeDecodingError(kind: .missingField, fieldPath: path, message: "missing required field \"\(path)\"")
        case let .dataCorrupted(context):
            let path = FieldPath.string(context.codingPath)
            return KubeDecodingError(
                kind: .invalidValue, fieldPath: path,
                message: "invalid value for \(FieldPath.describe(path)): \(context.debugDescription)")
        @unknown default:
            return KubeDecodingError(kind: .invalidValue, fieldPath: "", message: "\(error)")
        }
    }

    /// Members that no decoder asked for, as one error listing them all; nil when there are none.
    private static func unknownFields(_ session: StrictDecodingSession) -> KubeDecodingError? {
        var unknown: [[any CodingKey]] = []
        for decoder in session.objectDecoders {
            for (i, wasUsed) in decoder.used.enumerated() where !wasUsed {
                unknown.append(decoder.codingPath + [StringCodingKey(decoder.members[i].key)])
            }
        }
        guard !unknown.isEmpty else { return nil }
        // The same object decoded twice (two types reading one member) is known if either reader knew it.
        var known = Set<[FieldPathComponent]>()
        for decoder in session.objectDecoders {
            let base = FieldPath.components(decoder.codingPath)
            for (i, wasUsed) in decoder.used.enumerated() where wasUsed {
                known.insert(base + [.key(decoder.members[i].key)])
            }
        }
        var paths: [String] = []
        var seen = Set<[FieldPathComponent]>()
        for path in unknown {
            let components = FieldPath.components(path)
            if known.contains(components) || !seen.insert(components).inserted { continue }
            paths.append(FieldPath.string(components))
        }
        guard let first = paths.first else { return nil }
        return KubeDecodingError(
            kind: .unknownField, fieldPath: first,
            message: "strict decoding error: " + paths.map { "unknown field \"\($0)\"" }.joined(separator: ", "),
            fieldPaths: paths)
    }
}
