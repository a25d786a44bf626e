/// Decodes a request body as JSON or YAML according to its Content-Type.
public enum KubeDocument {
    /// The syntax a body is written in.
    public enum Format: Sendable, Equatable {
        case json, yaml
    }

    /// Picks JSON or YAML from a Content-Type: `application/json` (and `+json` types) is JSON;
    /// `application/yaml`, `application/x-yaml`, `text/yaml`, `text/x-yaml` (and `+yaml` types) are YAML;
    /// parameters such as `; charset=utf-8` are ignored. With no Content-Type the body is sniffed: a first
    /// non-blank byte `{` means JSON, anything else YAML. Throws `KubeUnsupportedContentType` for other types.
    public static func format(contentType: String?, body: [UInt8]) throws -> Format {
        guard let contentType else {
            let first = body.first { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }
            return first == UInt8(ascii: "{") ? .json : .yaml
        }
        let mediaType = (contentType.split(separator: ";", maxSplits: 1).first.map(String.init) ?? "")
            .trimmingCharacters(in: " \t").lowercased()
        switch mediaType {
        case "application/json": return .json
        case "application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml": return .yaml
        default:
            if mediaType.hasSuffix("+json") { return .json }
            if mediaType.hasSuffix("+yaml") { return .yaml }
            throw KubeUnsupportedContentType(contentType: contentType)
        }
    }

    /// Strict decode of a JSON or YAML body (one document). Throws `KubeDecodingError` or
    /// `KubeUnsupportedContentType`.
    public static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8], contentType: String?) throws -> T {
        switch try format(contentType: contentType, body: bytes) {
        case .json:
            return try KubeJSON.decode(T.self, from: bytes)
        case .yaml:
            guard let text = String(validating: bytes, as: UTF8.self) else {
                throw KubeDecodingError(kind: .syntax, fieldPath: "", message: "the YAML document is not valid UTF-8")
            }
            return try KubeYAML.decode(T.self, from: text)
        }
    }
}

extension String {
    /// Drops leading and trailing characters found in `set` (Foundation-free).
    fileprivate func trimmingCharacters(in set: String) -> String {
        let drop = Set(set)
        var slice = self[...]
        while let c = slice.first, drop.contains(c) { slice = slice.dropFirst() }
        while let c = slice.last, drop.contains(c) { slice = slice.dropLast() }
        return String(slice)
    }
}
