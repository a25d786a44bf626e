/// A parsed field selector for pods (`fields.ParseSelector` plus the pod field-label conversion).
///
/// Terms are `field=value`, `field==value` or `field!=value`, joined by `,`; `\,`, `\=` and `\\` escape those
/// characters in values. Only the fields the API server supports for pods are accepted.
public struct FieldSelector: Sendable, Equatable, CustomStringConvertible {
    /// One term of a field selector.
    public struct Term: Sendable, Equatable {
        /// The field, e.g. `status.phase`.
        public var field: String
        /// `true` for `!=`.
        public var negated: Bool
        /// The value, unescaped.
        public var value: String
    }

    /// The pod fields a selector may name, as the API server lists them.
    public static let supportedFields = [
        "metadata.name", "metadata.namespace", "spec.nodeName", "spec.restartPolicy", "spec.schedulerName",
        "spec.serviceAccountName", "spec.hostNetwork", "status.phase", "status.podIP", "status.nominatedNodeName",
    ]

    /// The terms, sorted as apimachinery sorts them.
    public var terms: [Term]

    /// A selector that matches every pod.
    public static let everything = FieldSelector(terms: [])

    /// A selector made of `terms`.
    public init(terms: [Term]) {
        self.terms = terms
    }

    /// Parses selector syntax; throws `SelectorError` for malformed terms and unsupported fields.
    public init(parsing text: String) throws(SelectorError) {
        var terms: [Term] = []
        for part in FieldSelector.splitTerms(text).sorted() where !part.isEmpty {
            guard let (lhs, op, rhs) = FieldSelector.splitTerm(part) else {
                throw SelectorError("invalid selector: '\(text)'; can't understand '\(part)'")
            }
            let value = try FieldSelector.unescape(rhs)
            guard FieldSelector.supportedFields.contains(lhs) else {
                throw SelectorError("field label not supported: \(lhs)")
            }
            terms.append(Term(field: lhs, negated: op == "!=", value: value))
        }
        self.terms = terms
    }

    /// Whether the selector has no terms.
    public var isEmpty: Bool { terms.isEmpty }

    /// Whether `pod` satisfies every term.
    public func matches(_ pod: Pod) -> Bool {
        terms.allSatisfy { term in
            let actual = FieldSelector.value(of: term.field, in: pod)
            return term.negated ? actual != term.value : actual == term.value
        }
    }

    /// The value of a supported field of `pod`, as the API server's pod field set renders it.
    public static func value(of field: String, in pod: Pod) -> String {
        switch field {
        case "metadata.name": return pod.metadata.name ?? ""
        case "metadata.namespace": return pod.metadata.namespace ?? ""
        case "spec.nodeName": return pod.spec.nodeName ?? ""
        case "spec.restartPolicy": return pod.spec.restartPolicy?.rawValue ?? ""
        case "spec.schedulerName": return pod.spec.schedulerName ?? ""
        case "spec.serviceAccountName": return pod.spec.serviceAccountName ?? ""
        case "spec.hostNetwork": return pod.spec.hostNetwork == true ? "true" : "false"
        case "status.phase": return pod.status.phase?.rawValue ?? ""
        case "status.podIP": return pod.status.podIP ?? ""
        case "status.nominatedNodeName": return pod.status.nominatedNodeName ?? ""
        default: return ""
        }
    }

    /// The selector in canonical syntax.
    public var description: String {
        terms.map { $0.field + ($0.negated ? "!=" : "=") + FieldSelector.escape($0.value) }.joined(separator: ",")
    }

    /// Splits on unescaped commas.
    static func splitTerms(_ text: String) -> [String] {
        if text.isEmpty { return [] }
        var terms: [String] = []
        var current = ""
        var escaped = false
        for c in text {
            if escaped {
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else if c == "," {
                terms.append(current)
                current = ""
                continue
            }
            current.append(c)
        }
        terms.append(current)
        return terms
    }

    /// The first operator in the term, trying `!=`, `==`, `=` at each position.
    static func splitTerm(_ term: String) -> (String, String, String)? {
        var index = term.startIndex
        while index < term.endIndex {
            let rest = term[index...]
            for op in ["!=", "==", "="] where rest.hasPrefix(op) {
                return (String(term[..<index]), op, String(rest.dropFirst(op.count)))
            }
            index = term.index(after: index)
        }
        return nil
    }

    static func unescape(_ value: String) throws(SelectorError) -> String {
        var out = ""
        var escaped = false
        for c in value {
            if escaped {
                guard c == "\\" || c == "," || c == "=" else {
                    throw SelectorError("invalid field selector: invalid escape sequence: \\\(c)")
                }
                out.append(c)
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else if c == "," || c == "=" {
                throw SelectorError("invalid field selector: unescaped \(c) in value: \(value)")
            } else {
                out.append(c)
            }
        }
        if escaped { throw SelectorError("invalid field selector: unterminated escape sequence in value: \(value)") }
        return out
    }

    static func escape(_ value: String) -> String {
        var out = ""
        for c in value {
            if c == "\\" || c == "," || c == "=" { out.append("\\") }
            out.append(c)
        }
        return out
    }
}
