/// Converts composed YAML nodes to `JSONValue` with the YAML 1.2 core schema (see `KubeYAML.parse`).
struct YAMLConverter {
    /// Nodes left to produce; aliases can make a small text expand enormously ("billion laughs").
    var budget: Int

    init(budget: Int) { self.budget = budget }

    /// Whether `node` is what an empty document (`---` and nothing) composes to.
    static func isEmptyDocument(_ node: YAMLNode) -> Bool {
        guard case let .scalar(text, style) = node.content else { return false }
        return text.isEmpty && style == .plain && node.tag == nil
    }

    private func error(_ message: String, _ node: YAMLNode, _ path: [FieldPathComponent],
                       kind: KubeDecodingError.Kind = .invalidValue) -> KubeDecodingError {
        let mark = node.mark
        let fieldPath = FieldPath.string(path)
        var text = "invalid YAML at line \(mark.line), column \(mark.column)"
        if !fieldPath.isEmpty { text += " (\(FieldPath.describe(fieldPath)))" }
        return KubeDecodingError(kind: kind, fieldPath: fieldPath, line: mark.line, column: mark.column,
                                 message: text + ": " + message)
    }

    mutating func convert(_ node: YAMLNode, path: [FieldPathComponent], depth: Int) throws -> JSONValue {
        budget -= 1
        if budget < 0 {
            throw error("the document expands to too many values (anchors and aliases are limited)", node, path)
        }
        if depth > JSONParser.maxDepth {
            throw error("the document nests deeper than \(JSONParser.maxDepth) levels", node, path)
        }
        switch node.content {
        case let .scalar(text, style):
            return try convertScalar(text, style, node, path)
        case let .sequence(sequence):
            if let tag = node.tag, tag != YAMLTag.nonSpecific, tag != YAMLTag.seq {
                throw error("unsupported tag \(tag) on a sequence", node, path)
            }
            var items: [JSONValue] = []
            items.reserveCapacity(sequence.count)
            for (i, item) in sequence.enumerated() {
                items.append(try convert(item, path: path + [.index(i)], depth: depth + 1))
            }
            return .array(items)
        case let .mapping(mapping):
            if let tag = node.tag, tag != YAMLTag.nonSpecific, tag != YAMLTag.map {
                throw error("unsupported tag \(tag) on a mapping", node, path)
            }
            return try convertMapping(mapping, path: path, depth: depth)
        }
    }

    private mutating func convertMapping(
        _ mapping: [(key: YAMLNode, value: YAMLNode)], path: [FieldPathComponent], depth: Int
    ) throws -> JSONValue {
        var members: [(key: String, value: JSONValue)] = []
        var seen = Set<String>()
        var merges: [(key: YAMLNode, value: YAMLNode)] = []
        for (keyNode, valueNode) in mapping {
            if case let .scalar(k, style) = keyNode.content, style == .plain,
               keyNode.tag == nil || keyNode.tag == YAMLTag.merge, k == "<<" {
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
            let sources: [YAMLNode]
            switch valueNode.content {
            case .mapping: sources = [valueNode]
            case let .sequence(sequence): sources = sequence
            case .scalar: throw error("a merge key (<<) needs a mapping or a list of mappings", keyNode, path)
            }
            for source in sources {
                guard case .mapping = source.content else {
                    throw error("a merge key (<<) needs a mapping or a list of mappings", source, path)
                }
                guard case let .object(merged) = try convert(source, path: path, depth: depth + 1) else { continue }
                for member in merged where seen.insert(member.key).inserted { members.append(member) }
            }
        }
        return .object(members)
    }

    private func keyString(_ keyNode: YAMLNode, _ path: [FieldPathComponent]) throws -> String {
        guard case let .scalar(text, style) = keyNode.content else {
            let kind = if case .mapping = keyNode.content { "mapping" } else { "sequence" }
            throw error("mapping keys must be strings, found a \(kind)", keyNode, path)
        }
        let value = try convertScalar(text, style, keyNode, path)
        guard case let .string(s) = value else {
            throw error("mapping key \(text.isEmpty ? "(empty)" : text) is a \(value.yamlTypeName), "
                        + "not a string; quote it (\"\(text)\") to use it as a key", keyNode, path)
        }
        return s
    }

    private func convertScalar(
        _ text: String, _ style: YAMLNode.ScalarStyle, _ node: YAMLNode, _ path: [FieldPathComponent]
    ) throws -> JSONValue {
        guard let tag = node.tag else {
            // Quoted and block scalars are strings; only plain ones are typed by their text.
            guard style == .plain else { return .string(text) }
            return try Self.resolvePlain(text).get(or: { error($0, node, path) })
        }
        switch tag {
        case YAMLTag.nonSpecific, YAMLTag.str, YAMLTag.binary, YAMLTag.timestamp:
            return .string(text)
        case YAMLTag.null:
            return .null
        case YAMLTag.bool:
            if case let .bool(b)? = try? Self.resolvePlain(text).get(or: { _ in CancellationError() }) { return .bool(b) }
            throw error("\"\(text)\" is not a boolean (!!bool)", node, path)
        case YAMLTag.int:
            if case let .int(i)? = try? Self.resolvePlain(text).get(or: { _ in CancellationError() }) { return .int(i) }
            throw error("\"\(text)\" is not an integer (!!int)", node, path)
        case YAMLTag.float:
            switch try Self.resolvePlain(text).get(or: { error($0, node, path) }) {
            case let .int(i): return .int(i)
            case let .double(d): return .double(d)
            default: throw error("\"\(text)\" is not a number (!!float)", node, path)
            }
        default:
            throw error("unsupported tag \(tag)", node, path)
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
