import Yams

/// YAML documents as Kubernetes reads them: one document, converted to JSON, then decoded strictly.
public enum KubeYAML {
    /// Parses one YAML document (through Yams) into a `JSONValue`.
    ///
    /// Unquoted scalars are typed by the YAML 1.2 core schema: `true`/`false`, `null`/`~`/empty, integers
    /// (decimal, `0x` hex, `0o` octal, and Go's leading-zero octal such as `0644`, which Kubernetes file modes
    /// rely on) and floats; everything else, including `yes`, `on` and quoted numbers, is a string. Integral floats
    /// (`1.0`, `1e3`) become integers, as they do on their way through Go's YAML-to-JSON conversion. Explicit tags
    /// (`!!str`, `!!int`, ...) are honoured. Keys must be strings. A second non-empty document is an error.
    /// Throws `KubeDecodingError` with line and column.
    public static func parse(_ text: String) throws -> JSONValue {
        let parser: Parser
        let root: Node?
        do {
            // Every untagged scalar that Yams resolves (it resolves mapping keys to check duplicates) gets this
            // marker instead of !!str, so an implicit key stays distinguishable from an explicit `!!str` one.
            let resolver = try Resolver.basic.appending(YAMLConverter.implicitMarker, "^")
            parser = try Parser(yaml: text, resolver: resolver)
            root = try parser.nextRoot()
        } catch {
            throw mapYamsError(error, text: text)
        }
        guard let root else { return .null }  // an empty stream is a null document, as in Go
        do {
            if let second = try parser.nextRoot(), !YAMLConverter.isEmptyDocument(second) {
                let mark = second.mark
                throw KubeDecodingError(
                    kind: .syntax, fieldPath: "", line: mark?.line, column: mark?.column,
                    message: "only one YAML document is accepted, but a second document starts"
                        + (mark.map { " at line \($0.line)" } ?? ""))
            }
        } catch let error as KubeDecodingError {
            throw error
        } catch {
            throw mapYamsError(error, text: text)
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
        let tree = try KubeJSON.parse(KubeJSON.encode(value))
        return try Yams.serialize(node: YAMLConverter.node(for: tree), indent: 2, width: -1, allowUnicode: true)
    }

    static func mapYamsError(_ error: any Error, text: String) -> KubeDecodingError {
        guard let yamlError = error as? YamlError else {
            return KubeDecodingError(kind: .syntax, fieldPath: "", message: "YAML error: \(error)")
        }
        func syntax(_ problem: String, _ context: YamlError.Context?, _ line: Int, _ column: Int) -> KubeDecodingError {
            var message = "YAML syntax error at line \(line), column \(column): \(problem)"
            if let context { message += " (\(context.text) at line \(context.mark.line), column \(context.mark.column))" }
            return KubeDecodingError(kind: .syntax, fieldPath: "", line: line, column: column, message: message)
        }
        switch yamlError {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
            let .composer(context, problem, mark, _):
            return syntax(problem, context, mark.line, mark.column)
        case let .reader(problem, offset, _, _):
            if let offset {
                let (line, column) = Array(text.utf8).withUnsafeBufferPointer { lineAndColumn(of: offset, in: $0) }
                return syntax(problem, nil, line, column)
            }
            return KubeDecodingError(kind: .syntax, fieldPath: "", message: "YAML syntax error: \(problem)")
        case let .duplicatedKeysInMapping(duplicates, context):
            let keys = duplicates.map { "\"\($0)\"" }.joined(separator: ", ")
            return KubeDecodingError(
                kind: .duplicateField, fieldPath: "", line: context.mark.line, column: context.mark.column,
                message: "strict decoding error: duplicate field \(keys) in the mapping at line "
                    + "\(context.mark.line), column \(context.mark.column)")
        default:
            return KubeDecodingError(kind: .syntax, fieldPath: "", message: "YAML error: \(yamlError)")
        }
    }
}

/// Converts Yams nodes to `JSONValue` with the core schema, and back for output.
struct YAMLConverter {
    static let implicitMarker = Tag.Name(rawValue: "tag:swiftlet.dev,2025:implicit")

    /// Nodes left to produce; aliases can make a small text expand enormously ("billion laughs").
    var budget: Int

    init(budget: Int) { self.budget = budget }

    static func isEmptyDocument(_ node: Node) -> Bool {
        guard case let .scalar(scalar) = node else { return false }
        return scalar.string.isEmpty && scalar.style == .plain && isImplicit(scalar.tag.tagName)
    }

    private static func isImplicit(_ name: Tag.Name) -> Bool { name == .implicit || name == implicitMarker }

    private func error(_ message: String, _ node: Node, _ path: [FieldPathComponent],
                       kind: KubeDecodingError.Kind = .invalidValue) -> KubeDecodingError {
        let mark = node.mark
        let fieldPath = FieldPath.string(path)
        var text = "invalid YAML"
        if let mark { text += " at line \(mark.line), column \(mark.column)" }
        if !fieldPath.isEmpty { text += " (\(FieldPath.describe(fieldPath)))" }
        return KubeDecodingError(kind: kind, fieldPath: fieldPath, line: mark?.line, column: mark?.column,
                                 message: text + ": " + message)
    }

    mutating func convert(_ node: Node, path: [FieldPathComponent], depth: Int) throws -> JSONValue {
        budget -= 1
        if budget < 0 {
            throw error("the document expands to too many values (anchors and aliases are limited)", node, path)
        }
        if depth > JSONParser.maxDepth {
            throw error("the document nests deeper than \(JSONParser.maxDepth) levels", node, path)
        }
        switch node {
        case let .scalar(scalar):
            return try convertScalar(scalar, node, path)
        case let .sequence(sequence):
            let name = sequence.tag.tagName
            guard Self.isImplicit(name) || name == .nonSpecific || name == .seq else {
                throw error("unsupported tag \(name.rawValue) on a sequence", node, path)
            }
            var items: [JSONValue] = []
            items.reserveCapacity(sequence.count)
            for (i, item) in sequence.enumerated() {
                items.append(try convert(item, path: path + [.index(i)], depth: depth + 1))
            }
            return .array(items)
        case let .mapping(mapping):
            let name = mapping.tag.tagName
            guard Self.isImplicit(name) || name == .nonSpecific || name == .map else {
                throw error("unsupported tag \(name.rawValue) on a mapping", node, path)
            }
            return try convertMapping(mapping, node, path: path, depth: depth)
        case .alias:
            throw error("unresolved alias", node, path)
        }
    }

    private mutating func convertMapping(
        _ mapping: Node.Mapping, _ node: Node, path: [FieldPathComponent], depth: Int
    ) throws -> JSONValue {
        var members: [(key: String, value: JSONValue)] = []
        var seen = Set<String>()
        var merges: [(Node, Node)] = []
        for (keyNode, valueNode) in mapping {
            if case let .scalar(k) = keyNode, k.style == .plain, Self.isImplicit(k.tag.tagName) || k.tag.tagName == .merge,
               k.string == "<<" {
                merges.append((keyNode, valueNode))
                continue
            }
            let key = try keyString(keyNode, path)
            guard seen.insert(key).inserted else {
                throw error("duplicate field \"\(key)\"", keyNode, path + [.key(key)], kind: .duplicateField)
            }
            members.append((key, try convert(valueNode, path: path + [.key(key)], depth: depth + 1)))
        }
        // Merge keys (`<<: *defaults`), which Kubernetes' YAML library honours: explicit members win, then
        // earlier merged mappings win over later ones.
        for (keyNode, valueNode) in merges {
            let sources: [Node]
            switch valueNode {
            case .mapping: sources = [valueNode]
            case let .sequence(sequence): sources = Array(sequence)
            default: throw error("a merge key (<<) needs a mapping or a list of mappings", keyNode, path)
            }
            for source in sources {
                guard case .mapping = source else {
                    throw error("a merge key (<<) needs a mapping or a list of mappings", source, path)
                }
                guard case let .object(merged) = try convert(source, path: path, depth: depth + 1) else { continue }
                for member in merged where seen.insert(member.key).inserted { members.append(member) }
            }
        }
        return .object(members)
    }

    private func keyString(_ keyNode: Node, _ path: [FieldPathComponent]) throws -> String {
        guard case let .scalar(scalar) = keyNode else {
            throw error("mapping keys must be strings, found a \(keyNode.isMapping ? "mapping" : "sequence")",
                        keyNode, path)
        }
        let value = try convertScalar(scalar, keyNode, path)
        guard case let .string(s) = value else {
            throw error("mapping key \(scalar.string.isEmpty ? "(empty)" : scalar.string) is a \(value.yamlTypeName), "
                        + "not a string; quote it (\"\(scalar.string)\") to use it as a key", keyNode, path)
        }
        return s
    }

    private func convertScalar(_ scalar: Node.Scalar, _ node: Node, _ path: [FieldPathComponent]) throws -> JSONValue {
        let text = scalar.string
        let name = scalar.tag.tagName
        if Self.isImplicit(name) {
            guard scalar.style == .plain else { return .string(text) }
            return try Self.resolvePlain(text).get(or: { error($0, node, path) })
        }
        switch name {
        case .nonSpecific, .str, .binary, .timestamp:
            return .string(text)
        case .null:
            return .null
        case .bool:
            if case let .bool(b)? = try? Self.resolvePlain(text).get(or: { _ in CancellationError() }) { return .bool(b) }
            throw error("\"\(text)\" is not a boolean (!!bool)", node, path)
        case .int:
            if case let .int(i)? = try? Self.resolvePlain(text).get(or: { _ in CancellationError() }) { return .int(i) }
            throw error("\"\(text)\" is not an integer (!!int)", node, path)
        case .float:
            switch try Self.resolvePlain(text).get(or: { error($0, node, path) }) {
            case let .int(i): return .int(i)
            case let .double(d): return .double(d)
            default: throw error("\"\(text)\" is not a number (!!float)", node, path)
            }
        default:
            throw error("unsupported tag \(name.rawValue)", node, path)
        }
    }

    /// The core-schema value of an unquoted, untagged scalar, or the reason it cannot be represented in JSON.
    enum Resolution {
        case value(JSONValue)
        case unrepresentable(String)

        func get<E: Error>(or makeError: (String) -> E) throws(E) -> JSONValue {
            switch self {
            case let .value(v): return v
            case let .unrepresentable(reason): throw makeError(reason)
            }
        }
    }

    static func resolvePlain(_ text: String) -> Resolution {
        switch text {
        case "", "~", "null", "Null", "NULL": return .value(.null)
        case "true", "True", "TRUE": return .value(.bool(true))
        case "false", "False", "FALSE": return .value(.bool(false))
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF",
            ".nan", ".NaN", ".NAN":
            return .unrepresentable("\(text) (infinity or NaN) cannot be represented in JSON")
        default: break
        }
        let utf8 = Array(text.utf8)
        guard let first = utf8.first,
              first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || first == UInt8(ascii: ".")
                || (first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9")) else {
            return .value(.string(text))
        }
        var body = utf8[...]
        var negative = false
        if body.first == UInt8(ascii: "-") || body.first == UInt8(ascii: "+") {
            negative = body.first == UInt8(ascii: "-")
            body = body.dropFirst()
        }
        func integer(_ digits: ArraySlice<UInt8>, radix: Int) -> JSONValue? {
            guard !digits.isEmpty, let magnitude = UInt64(String(decoding: digits, as: UTF8.self), radix: radix) else {
                return nil
            }
            if negative {
                if magnitude <= UInt64(Int64.max) { return .int(-Int64(magnitude)) }
                if magnitude == UInt64(Int64.max) + 1 { return .int(Int64.min) }
                return .double(-Double(magnitude))
            }
            return magnitude <= UInt64(Int64.max) ? .int(Int64(magnitude)) : .double(Double(magnitude))
        }
        let isDecimal = !body.isEmpty && body.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
        if body.count > 2, body.first == UInt8(ascii: "0") {
            let marker = body[body.startIndex + 1]
            if marker == UInt8(ascii: "x"), let v = integer(body.dropFirst(2), radix: 16) { return .value(v) }
            if marker == UInt8(ascii: "o"), let v = integer(body.dropFirst(2), radix: 8) { return .value(v) }
        }
        if isDecimal {
            // Go's YAML library reads a leading zero as octal (file modes like 0644); 09 is not octal and
            // falls through to decimal, as it does there.
            if body.count > 1, body.first == UInt8(ascii: "0"), let v = integer(body.dropFirst(), radix: 8) {
                return .value(v)
            }
            if let v = integer(body, radix: 10) { return .value(v) }
        }
        if isCoreFloat(body), let d = Double(text.hasPrefix("+") ? String(text.dropFirst()) : text), d.isFinite {
            // Integral floats reach the API server as integers after Go's YAML-to-JSON step.
            if d.rounded(.towardZero) == d, d.magnitude < 9.007_199_254_740_992e15 { return .value(.int(Int64(d))) }
            return .value(.double(d))
        }
        return .value(.string(text))
    }

    /// `(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`, the core schema's float, without its sign.
    private static func isCoreFloat(_ body: ArraySlice<UInt8>) -> Bool {
        func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
        var i = body.startIndex
        var mantissaDigits = 0
        while i < body.endIndex, isDigit(body[i]) { i += 1; mantissaDigits += 1 }
        if i < body.endIndex, body[i] == UInt8(ascii: ".") {
            i += 1
            var fraction = 0
            while i < body.endIndex, isDigit(body[i]) { i += 1; fraction += 1 }
            if mantissaDigits == 0 && fraction == 0 { return false }
            mantissaDigits += fraction
        }
        guard mantissaDigits > 0 else { return false }
        if i < body.endIndex, body[i] == UInt8(ascii: "e") || body[i] == UInt8(ascii: "E") {
            i += 1
            if i < body.endIndex, body[i] == UInt8(ascii: "-") || body[i] == UInt8(ascii: "+") { i += 1 }
            var exponent = 0
            while i < body.endIndex, isDigit(body[i]) { i += 1; exponent += 1 }
            if exponent == 0 { return false }
        }
        return i == body.endIndex
    }

    // MARK: - Output

    static func node(for value: JSONValue) -> Node {
        switch value {
        case .null: return Node("null", Tag(.null), .plain)
        case let .bool(b): return Node(b ? "true" : "false", Tag(.bool), .plain)
        case let .int(i): return Node(String(i), Tag(.int), .plain)
        case let .double(d):
            var bytes: [UInt8] = []
            if !JSONWriter.appendDouble(d, to: &bytes) { return Node("null", Tag(.null), .plain) }
            return Node(String(decoding: bytes, as: UTF8.self), Tag(.float), .plain)
        case let .string(s):
            return Node(s, Tag(.str), stringStyle(s))
        case let .array(items):
            return Node(items.map(node(for:)), Tag(.seq))
        case let .object(members):
            return Node(members.map { (Node($0.key, Tag(.str), stringStyle($0.key)), node(for: $0.value)) }, Tag(.map))
        }
    }

    /// Quotes strings that a YAML reader (core schema here, YAML 1.1 elsewhere) would take for another type.
    private static func stringStyle(_ s: String) -> Node.Scalar.Style {
        if case .value(.string) = resolvePlain(s) {
            switch s {
            case "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF", "=", "<<":
                return .doubleQuoted
            default: break
            }
            if let first = s.utf8.first, (first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9")) || first == UInt8(ascii: ".")
                || first == UInt8(ascii: "+") || first == UInt8(ascii: "-") {
                return .doubleQuoted
            }
            if s.contains("\n") { return .literal }
            return .any
        }
        return .doubleQuoted
    }
}

extension JSONValue {
    /// The YAML type name of a scalar, for messages.
    var yamlTypeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .int: return "integer"
        case .double: return "float"
        case .string: return "string"
        case .array: return "sequence"
        case .object: return "mapping"
        }
    }
}

extension Node {
    fileprivate var isMapping: Bool {
        if case .mapping = self { return true }
        return false
    }
}

extension Tag {
    /// The tag's name as parsed (`rawValue` is public where `name` is not); never resolved here, because
    /// resolving would replace an implicit tag with Yams' YAML 1.1 guess.
    fileprivate var tagName: Tag.Name { Tag.Name(rawValue: rawValue) }
}
