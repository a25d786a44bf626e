/// Tokens of the label selector language.
enum LabelToken: Equatable {
    case end
    case error(String)
    case identifier(String)
    case closedParen, comma, doesNotExist, doubleEquals, equals, greaterThan, `in`, lessThan, notEquals, notIn
    case openParen

    /// The text apimachinery shows for the token in messages.
    var literal: String {
        switch self {
        case .end: return ""
        case let .error(s): return s
        case let .identifier(s): return s
        case .closedParen: return ")"
        case .comma: return ","
        case .doesNotExist: return "!"
        case .doubleEquals: return "=="
        case .equals: return "="
        case .greaterThan: return ">"
        case .in: return "in"
        case .lessThan: return "<"
        case .notEquals: return "!="
        case .notIn: return "notin"
        case .openParen: return "("
        }
    }

    static let keywords: [String: LabelToken] = [
        ")": .closedParen, ",": .comma, "!": .doesNotExist, "==": .doubleEquals, "=": .equals, ">": .greaterThan,
        "in": .in, "<": .lessThan, "!=": .notEquals, "notin": .notIn, "(": .openParen,
    ]
}

/// Splits selector text into tokens with apimachinery's lexer rules (longest special-symbol match).
enum LabelSelectorLexer {
    static func isWhitespace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0D || c == 0x0A }
    static func isSpecial(_ c: UInt8) -> Bool { "=!(),><".utf8.contains(c) }

    static func tokens(of text: String) -> [LabelToken] {
        let b = Array(text.utf8)
        var i = 0
        var out: [LabelToken] = []
        while true {
            while i < b.count, isWhitespace(b[i]) { i += 1 }
            guard i < b.count else {
                out.append(.end)
                return out
            }
            if isSpecial(b[i]) {
                var buffer: [UInt8] = []
                var last: LabelToken?
                var consumed = i
                var j = i
                while j < b.count, isSpecial(b[j]) {
                    buffer.append(b[j])
                    if let t = LabelToken.keywords[String(decoding: buffer, as: UTF8.self)] {
                        last = t
                        consumed = j + 1
                    } else if last != nil {
                        break
                    }
                    j += 1
                }
                if let last {
                    out.append(last)
                    i = consumed
                } else {
                    out.append(.error("error expected: keyword found '\(String(decoding: buffer, as: UTF8.self))'"))
                    i = j
                }
            } else {
                let start = i
                while i < b.count, !isSpecial(b[i]), !isWhitespace(b[i]) { i += 1 }
                let word = String(decoding: b[start..<i], as: UTF8.self)
                out.append(LabelToken.keywords[word] ?? .identifier(word))
            }
        }
    }
}

/// A recursive-descent parser over the tokens, with apimachinery's error messages.
struct LabelSelectorParser {
    let tokens: [LabelToken]
    var position = 0

    init(tokens: [LabelToken]) {
        self.tokens = tokens
    }

    /// In value position the keywords `in` and `notin` are plain identifiers.
    func asValue(_ t: LabelToken) -> LabelToken {
        switch t {
        case .in: return .identifier("in")
        case .notIn: return .identifier("notin")
        default: return t
        }
    }

    func peek(values: Bool = true) -> LabelToken {
        let t = tokens[min(position, tokens.count - 1)]
        return values ? asValue(t) : t
    }

    mutating func next(values: Bool = true) -> LabelToken {
        let t = peek(values: values)
        position += 1
        return t
    }

    mutating func parse() throws(SelectorError) -> [LabelRequirement] {
        var requirements: [LabelRequirement] = []
        while true {
            let t = peek()
            switch t {
            case .identifier, .doesNotExist:
                do {
                    requirements.append(try parseRequirement())
                } catch {
                    throw SelectorError("unable to parse requirement: \(error.message)")
                }
                let after = next()
                switch after {
                case .end:
                    return requirements
                case .comma:
                    let t2 = peek()
                    switch t2 {
                    case .identifier, .doesNotExist: break
                    default: throw SelectorError("found '\(t2.literal)', expected: identifier after ','")
                    }
                default:
                    throw SelectorError("found '\(after.literal)', expected: ',' or 'end of string'")
                }
            case .end:
                return requirements
            default:
                throw SelectorError("found '\(t.literal)', expected: !, identifier, or 'end of string'")
            }
        }
    }

    mutating func parseRequirement() throws(SelectorError) -> LabelRequirement {
        var t = next()
        var op: LabelRequirement.Operator?
        if t == .doesNotExist {
            op = .doesNotExist
            t = next()
        }
        guard case let .identifier(key) = t else {
            throw SelectorError("found '\(t.literal)', expected: identifier")
        }
        let keyErrors = NameRules.qualifiedName(key)
        if !keyErrors.isEmpty {
            throw SelectorError(FieldError(type: .invalid, field: "", badValue: .string(key),
                                           detail: keyErrors.joined(separator: "; ")).description)
        }
        // `!key` is complete by itself; whatever follows is the caller's to reject.
        if op == .doesNotExist {
            return LabelRequirement(key: key, operator: .doesNotExist, values: [])
        }
        let lookahead = peek()
        if lookahead == .end || lookahead == .comma {
            return LabelRequirement(key: key, operator: .exists, values: [])
        }
        let opToken = next(values: false)
        let binary: LabelRequirement.Operator
        switch opToken {
        case .in: binary = .in
        case .equals: binary = .equals
        case .doubleEquals: binary = .doubleEquals
        case .greaterThan: binary = .greaterThan
        case .lessThan: binary = .lessThan
        case .notIn: binary = .notIn
        case .notEquals: binary = .notEquals
        default:
            throw SelectorError("found '\(opToken.literal)', expected: in, notin, =, ==, !=, gt, lt")
        }
        var values: Set<String>
        switch binary {
        case .in, .notIn: values = try parseValues()
        default: values = try parseExactValue()
        }
        let sorted = values.sorted()
        try validate(key: key, op: binary, values: sorted)
        return LabelRequirement(key: key, operator: binary, values: sorted)
    }

    func validate(key: String, op: LabelRequirement.Operator, values: [String]) throws(SelectorError) {
        func fail(_ field: String, _ value: FieldError.BadValue, _ detail: String) -> SelectorError {
            SelectorError(FieldError(type: .invalid, field: field, badValue: value, detail: detail).description)
        }
        let rendered = FieldError.BadValue.json("[" + values.map(quoted).joined(separator: ",") + "]")
        switch op {
        case .in, .notIn:
            if values.isEmpty { throw fail("values", rendered, "for 'in', 'notin' operators, values set can't be empty") }
        case .equals, .doubleEquals, .notEquals:
            if values.count != 1 { throw fail("values", rendered, "exact-match compatibility requires one single value") }
        case .greaterThan, .lessThan:
            if values.count != 1 { throw fail("values", rendered, "for 'Gt', 'Lt' operators, exactly one value is required") }
            for (i, v) in values.enumerated() where Int64(v) == nil {
                throw fail("values[\(i)]", .string(v), "for 'Gt', 'Lt' operators, the value must be an integer")
            }
        case .exists, .doesNotExist:
            break
        }
        for v in values {
            let errors = NameRules.labelValue(v)
            if !errors.isEmpty {
                throw fail("[\(key)]", .string(v), errors.joined(separator: "; "))
            }
        }
    }

    mutating func parseValues() throws(SelectorError) -> Set<String> {
        let open = next()
        guard open == .openParen else { throw SelectorError("found '\(open.literal)' expected: '('") }
        let t = peek()
        switch t {
        case .identifier, .comma:
            let list = try parseIdentifierList()
            let close = next()
            guard close == .closedParen else { throw SelectorError("found '\(t.literal)', expected: ')'") }
            return list
        case .closedParen:
            position += 1
            return [""]
        default:
            throw SelectorError("found '\(t.literal)', expected: ',', ')' or identifier")
        }
    }

    mutating func parseIdentifierList() throws(SelectorError) -> Set<String> {
        var set = Set<String>()
        while true {
            let t = next()
            switch t {
            case let .identifier(v):
                set.insert(v)
                let t2 = peek()
                switch t2 {
                case .comma: continue
                case .closedParen: return set
                default: throw SelectorError("found '\(t2.literal)', expected: ',' or ')'")
                }
            case .comma:
                if set.isEmpty { set.insert("") }
                let t2 = peek()
                if t2 == .closedParen {
                    set.insert("")
                    return set
                }
                if t2 == .comma { set.insert("") }
            default:
                throw SelectorError("found '\(t.literal)', expected: ',', or identifier")
            }
        }
    }

    mutating func parseExactValue() throws(SelectorError) -> Set<String> {
        let t = peek()
        if t == .end || t == .comma { return [""] }
        let v = next()
        if case let .identifier(s) = v { return [s] }
        throw SelectorError("found '\(v.literal)', expected: identifier")
    }
}
