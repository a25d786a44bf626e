import Testing
@testable import KubeTypes

/// The YAML reader and writer over libyaml: what the composer does with anchors, documents, nesting and bad bytes,
/// the YAML forms Kubernetes manifests use, and that every JSON value survives a round trip through the writer.
@Suite struct CodecYAMLLibyamlTests {
    // MARK: - Anchors, aliases, merges

    @Test func aliasesYieldTheAnchoredNode() throws {
        let v = try KubeYAML.parse("""
            map: &m {x: 1}
            list: &l [a, b]
            word: &w hello
            copies: [*m, *l, *w]
            shadow: &m 2
            latest: *m
            """)
        #expect(v["copies"] == .array([.object([("x", .int(1))]), .array([.string("a"), .string("b")]), .string("hello")]))
        // A later anchor of the same name shadows the earlier one.
        #expect(v["latest"] == .int(2))

        let undefined = try #require(yamlParseError("a: 1\nb: *nope\n"))
        #expect(undefined.kind == .syntax)
        #expect(undefined.message == "YAML syntax error at line 2, column 4: found undefined alias")
        // An anchor names its node only once that node is complete, so a node cannot contain itself.
        #expect(yamlParseError("a: &a [1, *a]\n")?.message.contains("found undefined alias") == true)
        // Anchors do not reach into the next document.
        #expect(yamlParseError("--- &a x\n--- *a\n")?.message.contains("found undefined alias") == true)
    }

    @Test func mergeKeysTakeMappingsAndListsOfMappings() throws {
        let v = try KubeYAML.parse("""
            a: &a {x: 1, y: 1}
            b: &b {y: 2, z: 2}
            c:
              <<: [*a, *b]
              x: 0
            d:
              <<: *b
            """)
        // Explicit members win, then earlier merged mappings over later ones.
        #expect(v["c"] == .object([("x", .int(0)), ("y", .int(1)), ("z", .int(2))]))
        #expect(v["d"] == .object([("y", .int(2)), ("z", .int(2))]))

        #expect(yamlParseError("a:\n  <<: 3\n")?.message.contains("a merge key (<<) needs a mapping") == true)
        #expect(yamlParseError("a:\n  <<: [{x: 1}, [2]]\n")?.message.contains("a merge key (<<) needs a mapping") == true)
        // A quoted "<<" is an ordinary key.
        #expect(try KubeYAML.parse("\"<<\": {x: 1}\n") == .object([("<<", .object([("x", .int(1))]))]))
        // Two merge keys in one mapping are the same key twice.
        #expect(yamlParseError("a:\n  <<: {x: 1}\n  <<: {y: 2}\n")?.kind == .duplicateField)
    }

    @Test func repeatedKeysAreReportedAsYamsReportedThem() throws {
        let error = try #require(yamlParseError("b: 1\na: 1\nc: 0\nb: 2\na: 2\n"))
        #expect(error.kind == .duplicateField)
        #expect(error.fieldPath == "")
        #expect(error.line == 2 && error.column == 1)
        #expect(error.message == "strict decoding error: duplicate field \"a\", \"b\" in the mapping at line 2, column 1")
        // The same text quoted and unquoted is one JSON key: the converter refuses it, with its field path.
        let mixed = try #require(yamlParseError("spec:\n  a: 1\n  \"a\": 2\n"))
        #expect(mixed.kind == .duplicateField)
        #expect(mixed.fieldPath == "spec.a")
        #expect(mixed.line == 3)
    }

    @Test func aliasExpansionIsBounded() throws {
        // Billion laughs: nine levels of ten aliases each would be 10^9 strings.
        var laughs = "l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for i in 1...9 {
            laughs += "l\(i): &l\(i) [\(Array(repeating: "*l\(i - 1)", count: 10).joined(separator: ", "))]\n"
        }
        let bomb = try #require(yamlParseError(laughs))
        #expect(bomb.kind == .invalidValue)
        #expect(bomb.message.contains("too many values"))

        // A chain of aliases nests as deep as it is long.
        func chain(_ length: Int) -> String {
            var text = "a0: &a0 [x]\n"
            for i in 1..<length { text += "a\(i): &a\(i) [*a\(i - 1)]\n" }
            return text
        }
        // Past the composer's limit the tree is not even built: walking or freeing it would recurse that deep. The
        // first alias too deep is *a998 (999 levels) in a999's list (1) in the root mapping (1), on line 1000.
        let deeper = try #require(yamlParseError(chain(50_000)))
        #expect(deeper.kind == .syntax)
        #expect(deeper.message.contains("collections nest deeper than \(YAMLComposer.maxNesting) levels"))
        #expect(deeper.line == 1000)
        #expect(deeper.column == 14)
    }

    @Test func nestingIsBoundedWithoutRecursion() throws {
        let text = String(repeating: "[", count: 200_000) + String(repeating: "]", count: 200_000)
        let error = try #require(yamlParseError(text))
        #expect(error.kind == .syntax)
        #expect(error.line == 1)
        #expect(error.column == YAMLComposer.maxNesting + 1)
        #expect(error.message.contains("collections nest deeper than"))
        // Between the converter's limit and the composer's, the converter reports the depth with a field path.
        let levels = JSONParser.maxDepth + 2
        let deep = try #require(yamlParseError(String(repeating: "[", count: levels) + String(repeating: "]", count: levels)))
        #expect(deep.kind == .invalidValue)
        #expect(deep.message.contains("the document nests deeper than \(JSONParser.maxDepth) levels"))
        #expect(deep.fieldPath.hasPrefix("[0][0]"))
        // Within the converter's limit a deep document is fine.
        let fine = String(repeating: "- ", count: JSONParser.maxDepth) + "x\n"
        var value = try KubeYAML.parse(fine)
        for _ in 0..<JSONParser.maxDepth {
            guard case let .array(items) = value, items.count == 1 else { Issue.record("not a one-item list"); return }
            value = items[0]
        }
        #expect(value == .string("x"))
    }

    // MARK: - Documents

    @Test func onlyTheFirstDocumentMayHoldAnything() throws {
        #expect(try KubeYAML.parse("a: 1\n---\n") == .object([("a", .int(1))]))
        #expect(try KubeYAML.parse("---\na: 1\n--- \n...\n---\n# nothing\n") == .object([("a", .int(1))]))
        #expect(try KubeYAML.parse("# just a comment\n") == .null)
        #expect(try KubeYAML.parse("---\n") == .null)

        let second = try #require(yamlParseError("a: 1\n---\nb: 2\n"))
        #expect(second.kind == .syntax)
        #expect(second.line == 3 && second.column == 1)
        #expect(second.message == "only one YAML document is accepted, but a second document starts at line 3")
        // A non-empty document after an empty one is refused too.
        let third = try #require(yamlParseError("a: 1\n---\n---\n- b\n"))
        #expect(third.line == 4)
        // An empty document with a tag is not empty.
        #expect(yamlParseError("a: 1\n--- !!str\n")?.message.contains("only one YAML document") == true)
        // Syntax errors in later documents are reported.
        #expect(yamlParseError("a: 1\n---\nb: [\n")?.kind == .syntax)
    }

    // MARK: - Forms manifests use

    @Test func blockScalarsKeepOrFoldLinesWithTheirChomping() throws {
        let v = try KubeYAML.parse("""
            literal: |
              one
                two
              three

            strip: |-
              one
              two


            keep: |+
              one

            folded: >
              one
              two

              three
            foldedStrip: >-
              one
              two
            indented: |2
                four spaces
              two spaces
            end: x
            """)
        #expect(v["literal"] == .string("one\n  two\nthree\n"))
        #expect(v["strip"] == .string("one\ntwo"))
        #expect(v["keep"] == .string("one\n\n"))
        #expect(v["folded"] == .string("one two\nthree\n"))
        #expect(v["foldedStrip"] == .string("one two"))
        #expect(v["indented"] == .string("  four spaces\ntwo spaces\n"))
        #expect(v["end"] == .string("x"))
    }

    @Test func flowCollectionsAndComments() throws {
        let v = try KubeYAML.parse("""
            # a comment before everything
            flow: {a: [1, 2, {b: c}], d: {}, e: [], "f g": 'h'}  # after a value
            hash: x#y
            quotedHash: "x # y"
            list:
              # between items
              - 1   # after an item
              - [two, "3"]
            # at the end
            """)
        #expect(v["flow"] == .object([
            ("a", .array([.int(1), .int(2), .object([("b", .string("c"))])])),
            ("d", .object([])), ("e", .array([])), ("f g", .string("h")),
        ]))
        #expect(v["hash"] == .string("x#y"))
        #expect(v["quotedHash"] == .string("x # y"))
        #expect(v["list"] == .array([.int(1), .array([.string("two"), .string("3")])]))
        if case let .object(members) = v { #expect(members.map(\.key) == ["flow", "hash", "quotedHash", "list"]) }
    }

    @Test func explicitTagsAreHonouredAndUnknownOnesRefused() throws {
        let v = try KubeYAML.parse("""
            str: !!str 10
            int: !!int "7"
            float: !!float "2.5"
            bool: !!bool "true"
            nothing: !!null ""
            verbatim: !<tag:yaml.org,2002:str> 1.5
            nonSpecific: ! 12
            seq: !!seq [1]
            map: !!map {a: b}
            """)
        #expect(v["str"] == .string("10"))
        #expect(v["int"] == .int(7))
        #expect(v["float"] == .double(2.5))
        #expect(v["bool"] == .bool(true))
        #expect(v["nothing"] == .null)
        #expect(v["verbatim"] == .string("1.5"))
        #expect(v["nonSpecific"] == .string("12"))
        #expect(v["seq"] == .array([.int(1)]))
        #expect(v["map"] == .object([("a", .string("b"))]))

        let unknown = try #require(yamlParseError("a:\n  b: !thing x\n"))
        #expect(unknown.kind == .invalidValue)
        #expect(unknown.fieldPath == "a.b")
        #expect(unknown.line == 2 && unknown.column == 6)
        #expect(unknown.message.hasSuffix("unsupported tag !thing"))
        #expect(yamlParseError("a: !!str [1]\n")?.message.contains("unsupported tag tag:yaml.org,2002:str on a sequence") == true)
        #expect(yamlParseError("a: !!int 1.5\n")?.message.contains("is not an integer (!!int)") == true)
        #expect(yamlParseError("%TAG !e! tag:example.com,2000:\n---\na: !e!x 1\n")?.message
            .contains("unsupported tag tag:example.com,2000:x") == true)
    }

    // MARK: - Syntax errors and input bytes

    @Test func tabIndentationIsASyntaxErrorAtItsPosition() throws {
        let error = try #require(yamlParseError("spec:\n  a: 1\n\tb: 2\n"))
        #expect(error.kind == .syntax)
        #expect(error.line == 3 && error.column == 1)
        // The tab ends the plain scalar `1`, which could otherwise go on over the next line.
        #expect(error.message == "YAML syntax error at line 3, column 1: found a tab character that violates indentation"
            + " (while scanning a plain scalar at line 2, column 6)")
        let first = try #require(yamlParseError("a:\n\tb: 1\n"))
        #expect(first.line == 2 && first.column == 1)
    }

    @Test func syntaxErrorsNameLibyamlsProblemAndContext() throws {
        let error = try #require(yamlParseError("a: 1\nb: [1, 2\nc: 3\n"))
        #expect(error.message == "YAML syntax error at line 3, column 2: did not find expected ',' or ']'"
            + " (while parsing a flow sequence at line 2, column 4)")
        #expect(error.line == 3 && error.column == 2)
    }

    @Test func aLeadingByteOrderMarkIsDroppedWithoutTakingAColumn() throws {
        #expect(try KubeYAML.parse("\u{FEFF}a: 1\nb:\n  - 2\n") == .object([("a", .int(1)), ("b", .array([.int(2)]))]))
        let key = try #require(yamlParseError("\u{FEFF}1: x\n"))
        #expect(key.line == 1 && key.column == 1)
        let syntax = try #require(yamlParseError("\u{FEFF}a: [1\n"))
        #expect(syntax.message == "YAML syntax error at line 2, column 1: did not find expected ',' or ']'"
            + " (while parsing a flow sequence at line 1, column 4)")
        let control = try #require(yamlParseError("\u{FEFF}a: \u{7}\n"))
        #expect(control.line == 1 && control.column == 4)
    }

    @Test func crlfLineEndingsReadAsLF() throws {
        let v = try KubeYAML.parse("a: 1\r\nlist:\r\n  - x\r\n  - y\r\ntext: |\r\n  one\r\n  two\r\nlast: z\r\n")
        #expect(v == .object([
            ("a", .int(1)), ("list", .array([.string("x"), .string("y")])), ("text", .string("one\ntwo\n")),
            ("last", .string("z")),
        ]))
        #expect(yamlParseError("a: 1\r\nb: [\r\n")?.line == 3)
    }

    @Test func nulAndControlCharactersAreRefusedNotTruncated() throws {
        let nul = try #require(yamlParseError("a: b\u{0}c\nd: e\n"))
        #expect(nul.kind == .syntax)
        #expect(nul.line == 1 && nul.column == 5)
        #expect(nul.message.contains("control characters are not allowed"))
        #expect(yamlParseError("é: \u{7}\n")?.column == 4)
        // Escapes in double quotes may spell any character, NUL included.
        #expect(try KubeYAML.parse("a: \"x\\0y\\ty\"\n") == .object([("a", .string("x\u{0}y\ty"))]))
    }

    @Test func aLargeDocumentParses() throws {
        var text = "items:\n"
        var count = 0
        while text.utf8.count < 1 << 20 {
            text += "- name: item-\(count)\n  value: \(count)\n  labels: {app: web, tier: \"\(count % 7)\"}\n"
            text += "  note: |\n    line one of \(count)\n    line two\n"
            count += 1
        }
        let v = try KubeYAML.parse(text)
        guard case let .array(items)? = v["items"] else {
            Issue.record("items is not a list")
            return
        }
        #expect(items.count == count)
        #expect(items.last?["name"] == .string("item-\(count - 1)"))
        #expect(items.last?["value"] == .int(Int64(count - 1)))
        #expect(items[5]["labels"]?["tier"] == .string("5"))
        #expect(items[5]["note"] == .string("line one of 5\nline two\n"))
    }

    // MARK: - Writing

    @Test func writesBlockStyleWithoutFoldingOrEscapingUnicode() throws {
        let long = String(repeating: "word ", count: 100) + "end"
        let value = JSONValue.object([
            ("z", .string(long)), ("a", .array([.int(1), .object([("k", .string("ü 日本"))])])), ("empty", .object([])),
            ("text", .string("one\ntwo\n")), ("yes", .string("yes")),
        ])
        let text = try KubeYAML.encode(value)
        #expect(text == """
            z: \(long)
            a:
            - 1
            - k: ü 日本
            empty: {}
            text: |
              one
              two
            "yes": "yes"

            """)
        #expect(try KubeYAML.parse(text) == value)
    }

    @Test func everyValueSurvivesARoundTrip() throws {
        var generator = ValueGenerator(seed: 0x5eed)
        for _ in 0..<400 {
            let value = generator.value(depth: 0)
            let text = try KubeYAML.encode(value)
            let back = try KubeYAML.parse(text)
            // Byte-for-byte, so that Unicode-equivalent strings (which String's == equates) do not pass for equal.
            var expected: [UInt8] = [], actual: [UInt8] = []
            KubeJSON.serialize(value, into: &expected)
            KubeJSON.serialize(back, into: &actual)
            #expect(actual == expected, "\(text)")
        }
        for fragment in ValueGenerator.fragments {
            let value = JSONValue.object([(fragment, .string(fragment)), ("list", .array([.string(fragment)]))])
            #expect(try KubeYAML.parse(KubeYAML.encode(value)) == value, "\(fragment.debugDescription)")
        }
    }
}

/// Deterministic JSON values full of strings that YAML finds hard to write.
private struct ValueGenerator {
    /// Strings that read as other types, need quoting, or test line handling.
    static let fragments: [String] = [
        "", " ", "  ", "a", "yes", "No", "on", "OFF", "y", "n", "~", "null", "Null", "true", "False", "=", "<<",
        "0", "0644", "09", "-1", "+1", "1.5", ".5", "1e3", ".inf", "-.Inf", ".nan", "0x1F", "0o17", "1_000",
        "- x", "-", "? x", "?", ": x", ":", "a: b", "a:b", "a #b", "#x", "x#", "[x]", "{x}", "x, y", "*x", "&x",
        "!x", "!!str", "%x", "@x", "`x", "|", ">", "'", "\"", "'x'", "\"x\"", "\\", "x\\y", "\\n",
        " lead", "trail ", " both ", "\tx", "x\t", "a\tb", "\n", "\n\n", "x\n", "x\n\n", "\nx", "x\ny", "x\n y",
        " x\ny", "x \ny", "x\n\ny", "x\r\ny", "\r", "x\ry", "--- x", "---", "...", "x\n---\ny", "x\n...\n",
        "é", "日本語", "😀", "e\u{301}", "\u{FEFF}x", "x\u{85}y", "x\u{2028}y", "\u{2029}", "\u{0}", "a\u{0}b",
        "\u{1}", "\u{7F}", "\u{9F}", "\u{A0}", "\u{FFFD}", "\u{10FFFF}", String(repeating: "long ", count: 40),
        String(repeating: "x", count: 300), "2024-05-01T12:00:00Z", "1.2.3", "12:30", "0.0.0.0:80",
    ]

    private var state: UInt64

    init(seed: UInt64) { state = seed }

    /// A 64-bit linear congruential step (Knuth's MMIX constants); plenty for choosing among cases.
    private mutating func next(_ bound: Int) -> Int {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int((state >> 33) % UInt64(bound))
    }

    mutating func string() -> String {
        var s = ""
        for _ in 0..<(1 + next(3)) { s += Self.fragments[next(Self.fragments.count)] }
        return s
    }

    mutating func value(depth: Int) -> JSONValue {
        let choice = depth > 5 ? next(6) : next(9)
        switch choice {
        case 0: return .null
        case 1: return .bool(next(2) == 0)
        case 2: return .int([0, 1, -1, 420, Int64.max, Int64.min, 9_007_199_254_740_993][next(7)])
        case 3:
            let doubles: [Double] = [2.5, -0.125, 1e21, 1.5e-7, .leastNonzeroMagnitude, .greatestFiniteMagnitude, 123456.789]
            return .double(doubles[next(doubles.count)])
        case 4, 5: return .string(string())
        case 6: return .array((0..<next(4)).map { _ in value(depth: depth + 1) })
        case 7, 8:
            var members: [(key: String, value: JSONValue)] = []
            var seen = Set<String>()
            for _ in 0..<next(5) {
                let key = string()
                // Unique as the reader compares keys: as Strings, so Unicode-equivalent keys are one key.
                if seen.insert(key).inserted { members.append((key, value(depth: depth + 1))) }
            }
            // Deeply nested empty collections.
            if members.isEmpty && next(2) == 0 { return .object([("", .array([.object([("[]", .array([]))])]))]) }
            return .object(members)
        default: return .null
        }
    }
}
