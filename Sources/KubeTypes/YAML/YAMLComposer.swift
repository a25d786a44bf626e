import CYAML

/// Runs libyaml's event parser over a text and assembles the events into `YAMLNode` trees, one per document.
///
/// An anchor names the node it is written on once that node is complete, so an alias inside its own anchored node
/// is undefined and no tree is cyclic; a later anchor of the same name shadows an earlier one, and anchors do not
/// reach into the next document. An alias yields the anchored node itself, shared: expanding aliases is the
/// converter's business, under its budget.
///
/// Within one mapping, two scalar keys with the same text and tag are refused here, as Yams' composer refused them;
/// keys written differently (`"a"` and `a`) are left to the converter, which compares them as JSON keys.
/// Collections may not nest deeper than `maxNesting`, aliases included, because everything that walks the tree
/// (the converter, and releasing it) recurses once per level. Throws `KubeDecodingError`.
enum YAMLComposer {
    /// Deepest nesting of collections accepted, the default of the newer libyaml that Yams bundled (the converter
    /// refuses depths past `JSONParser.maxDepth`, with a field path, long before this).
    static let maxNesting = 1000

    /// The documents of `text` in order; a stream with no document (empty, or comments only) has none.
    static func documents(in text: String) throws -> [YAMLNode] {
        var text = text
        return try text.withUTF8 { bytes in
            // libyaml asserts on a null input pointer, which an empty buffer may have.
            guard let start = bytes.baseAddress, !bytes.isEmpty else { return [] }
            let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
            defer { parser.deallocate() }
            guard yaml_parser_initialize(parser) == 1 else { throw outOfMemory }
            defer { yaml_parser_delete(parser) }
            // The length is explicit, so a NUL byte does not end the text: libyaml refuses it as a control
            // character. The encoding is left to libyaml to detect (valid UTF-8 cannot start with a UTF-16 byte
            // order mark, so it finds UTF-8): only then does it drop a leading byte order mark without counting it
            // as a column, which would shift the first line's indentation against the others'.
            yaml_parser_set_input_string(parser, start, bytes.count)
            var state = State()
            var event = yaml_event_t()
            while true {
                guard yaml_parser_parse(parser, &event) == 1 else { throw syntaxError(parser.pointee, in: bytes) }
                defer { yaml_event_delete(&event) }
                if event.type == YAML_STREAM_END_EVENT { return state.documents }
                try state.consume(event)
            }
        }
    }

    /// A collection whose end event has not come yet.
    private struct OpenCollection {
        var isMapping: Bool
        /// For a mapping: key, value, key, value, ...
        var children: [YAMLNode] = []
        var tag: String?
        var anchor: String?
        var mark: YAMLMark
        /// The greatest height among the children.
        var childHeight = 0
    }

    /// The composition so far.
    private struct State {
        var documents: [YAMLNode] = []
        var root: YAMLNode?
        var open: [OpenCollection] = []
        var anchors: [String: YAMLNode] = [:]

        mutating func consume(_ event: yaml_event_t) throws {
            let mark = YAMLMark(event.start_mark)
            switch event.type {
            case YAML_DOCUMENT_START_EVENT:
                anchors = [:]
            case YAML_DOCUMENT_END_EVENT:
                if let root { documents.append(root) }
                root = nil
            case YAML_ALIAS_EVENT:
                let name = string(event.data.alias.anchor) ?? ""
                guard let node = anchors[name] else { throw syntax("found undefined alias", at: mark) }
                try add(node, at: mark)
            case YAML_SCALAR_EVENT:
                let scalar = event.data.scalar
                let bytes = UnsafeBufferPointer(start: scalar.value, count: scalar.length)
                let value = String(decoding: bytes, as: UTF8.self)
                let node = YAMLNode(content: .scalar(value, YAMLNode.ScalarStyle(scalar.style)),
                                    tag: string(scalar.tag), mark: mark, height: 0)
                register(node, as: string(scalar.anchor))
                try add(node, at: mark)
            case YAML_SEQUENCE_START_EVENT:
                try begin(OpenCollection(isMapping: false, tag: string(event.data.sequence_start.tag),
                                         anchor: string(event.data.sequence_start.anchor), mark: mark))
            case YAML_MAPPING_START_EVENT:
                try begin(OpenCollection(isMapping: true, tag: string(event.data.mapping_start.tag),
                                         anchor: string(event.data.mapping_start.anchor), mark: mark))
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                guard let collection = open.popLast() else { return }
                let content: YAMLNode.Content
                if collection.isMapping {
                    let pairs = stride(from: 0, to: collection.children.count - 1, by: 2).map {
                        (key: collection.children[$0], value: collection.children[$0 + 1])
                    }
                    try checkDuplicateKeys(pairs)
                    content = .mapping(pairs)
                } else {
                    content = .sequence(collection.children)
                }
                let node = YAMLNode(content: content, tag: collection.tag, mark: collection.mark,
                                    height: collection.childHeight + 1)
                register(node, as: collection.anchor)
                try add(node, at: collection.mark)
            default:
                break  // stream start
            }
        }

        private mutating func begin(_ collection: OpenCollection) throws {
            guard open.count < YAMLComposer.maxNesting else { throw tooDeep(at: collection.mark) }
            open.append(collection)
        }

        private mutating func register(_ node: YAMLNode, as anchor: String?) {
            if let anchor { anchors[anchor] = node }
        }

        private mutating func add(_ node: YAMLNode, at mark: YAMLMark) throws {
            guard !open.isEmpty else {
                root = node
                return
            }
            // Only an alias can bring a height that its position was not already checked for.
            guard open.count + node.height <= YAMLComposer.maxNesting else { throw tooDeep(at: mark) }
            open[open.count - 1].children.append(node)
            open[open.count - 1].childHeight = max(open[open.count - 1].childHeight, node.height)
        }

        private func tooDeep(at mark: YAMLMark) -> KubeDecodingError {
            syntax("collections nest deeper than \(YAMLComposer.maxNesting) levels (aliases included)", at: mark)
        }
    }

    /// Identity of a scalar key as Yams compared them: the text and the tag, where an unquoted untagged key has
    /// no tag and a quoted one or one tagged `!` is a string.
    private struct KeyIdentity: Hashable {
        var text: String
        var tag: String?

        init?(_ key: YAMLNode) {
            guard case let .scalar(text, style) = key.content else { return nil }
            self.text = text
            switch key.tag {
            case nil: tag = style == .plain ? nil : YAMLTag.str
            case YAMLTag.nonSpecific?: tag = YAMLTag.str
            case let explicit: tag = explicit
            }
        }
    }

    /// Refuses repeated keys with Yams' report: every repeated key, sorted, at the first occurrence of the first.
    private static func checkDuplicateKeys(_ pairs: [(key: YAMLNode, value: YAMLNode)]) throws {
        var firstIndex: [KeyIdentity: Int] = [:]
        var repeated: [Int] = []
        var reported = Set<Int>()
        for (index, pair) in pairs.enumerated() {
            guard let identity = KeyIdentity(pair.key) else { continue }
            if let first = firstIndex[identity] {
                if reported.insert(first).inserted { repeated.append(first) }
            } else {
                firstIndex[identity] = index
            }
        }
        let keys = repeated.compactMap { index -> (text: String, mark: YAMLMark)? in
            guard case let .scalar(text, _) = pairs[index].key.content else { return nil }
            return (text, pairs[index].key.mark)
        }
        .enumerated().sorted { ($0.element.text, $0.offset) < ($1.element.text, $1.offset) }.map(\.element)
        guard let mark = keys.first?.mark else { return }
        throw KubeDecodingError(
            kind: .duplicateField, fieldPath: "", line: mark.line, column: mark.column,
            message: "strict decoding error: duplicate field \(keys.map { "\"\($0.text)\"" }.joined(separator: ", "))"
                + " in the mapping at line \(mark.line), column \(mark.column)")
    }

    // MARK: - Errors

    private static var outOfMemory: KubeDecodingError {
        KubeDecodingError(kind: .syntax, fieldPath: "", message: "YAML error: libyaml ran out of memory")
    }

    /// A syntax error as Swiftlet words them: `YAML syntax error at line L, column C: problem (context at line,
    /// column)`.
    static func syntax(_ problem: String, at mark: YAMLMark, context: (text: String, mark: YAMLMark)? = nil)
        -> KubeDecodingError {
        var message = "YAML syntax error at line \(mark.line), column \(mark.column): \(problem)"
        if let context { message += " (\(context.text) at line \(context.mark.line), column \(context.mark.column))" }
        return KubeDecodingError(kind: .syntax, fieldPath: "", line: mark.line, column: mark.column, message: message)
    }

    /// The parser's failure in libyaml's words. The reader (bad bytes) reports a byte offset rather than a mark.
    private static func syntaxError(_ parser: yaml_parser_t, in bytes: UnsafeBufferPointer<UInt8>)
        -> KubeDecodingError {
        let problem = parser.problem.map { String(cString: $0) } ?? "unknown problem"
        switch parser.error {
        case YAML_MEMORY_ERROR:
            return outOfMemory
        case YAML_READER_ERROR:
            // The offset counts a leading byte order mark, which the marks of other errors do not.
            let bom = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
            let text = UnsafeBufferPointer(rebasing: bytes[bom...])
            let position = lineAndColumn(of: parser.problem_offset - bom, in: text)
            return syntax(problem, at: YAMLMark(line: position.line, column: position.column))
        default:
            let context = parser.context.map { (text: String(cString: $0), mark: YAMLMark(parser.context_mark)) }
            return syntax(problem, at: YAMLMark(parser.problem_mark), context: context)
        }
    }
}

/// A C string from libyaml (anchors, tags), or nil for a null pointer.
private func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
    pointer.map { String(cString: $0) }
}

extension YAMLMark {
    /// libyaml's 0-based mark as a 1-based one.
    fileprivate init(_ mark: yaml_mark_t) {
        self.init(line: Int(mark.line) + 1, column: Int(mark.column) + 1)
    }
}

extension YAMLNode.ScalarStyle {
    fileprivate init(_ style: yaml_scalar_style_t) {
        switch style {
        case YAML_SINGLE_QUOTED_SCALAR_STYLE: self = .singleQuoted
        case YAML_DOUBLE_QUOTED_SCALAR_STYLE: self = .doubleQuoted
        case YAML_LITERAL_SCALAR_STYLE: self = .literal
        case YAML_FOLDED_SCALAR_STYLE: self = .folded
        default: self = .plain  // the parser reports no "any" style
        }
    }
}
