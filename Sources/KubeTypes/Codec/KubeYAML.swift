/// YAML documents as Kubernetes reads them: one document, converted to JSON, then decoded strictly.
public enum KubeYAML {
    /// Parses one YAML document (through libyaml) into a `JSONValue`.
    ///
    /// Unquoted scalars are typed by the YAML 1.2 core schema: `true`/`false`, `null`/`~`/empty, integers
    /// (decimal, `0x` hex, `0o` octal, and Go's leading-zero octal such as `0644`, which Kubernetes file modes
    /// rely on) and floats; everything else, including `yes`, `on` and quoted numbers, is a string. Integral floats
    /// (`1.0`, `1e3`) become integers, as they do on their way through Go's YAML-to-JSON conversion. Explicit tags
    /// (`!!str`, `!!int`, ...) are honoured. Keys must be strings. Any later non-empty document is an error.
    /// A `String` is valid UTF-8 by construction; bytes from elsewhere must be validated first (as
    /// `KubeDocument` does). Throws `KubeDecodingError` with line and column.
    public static func parse(_ text: String) throws -> JSONValue {
        let documents = try YAMLComposer.documents(in: text)
        guard let root = documents.first else { return .null }  // an empty stream is a null document, as in Go
        if let second = documents.dropFirst().first(where: { !YAMLConverter.isEmptyDocument($0) }) {
            let mark = second.mark
            throw KubeDecodingError(
                kind: .syntax, fieldPath: "", line: mark.line, column: mark.column,
                message: "only one YAML document is accepted, but a second document starts at line \(mark.line)")
        }
        var converter = YAMLConverter(budget: 10_000 + 2 * text.utf8.count)
        return try converter.convert(root, path: [], depth: 0)
    }

    /// Strict decode of one YAML document, with the same rules as `KubeJSON.decode`.
    public static func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        try KubeJSON.decode(T.self, from: parse(text))
    }

    /// Encodes `value` as block-style YAML (for static pod manifests and tests). Keys keep CodingKeys order;
    /// strings that would read back as another type are quoted.
    public static func encode<T: Encodable>(_ value: T) throws -> String {
        try YAMLEmitter.text(for: KubeJSON.parse(KubeJSON.encode(value)))
    }
}
