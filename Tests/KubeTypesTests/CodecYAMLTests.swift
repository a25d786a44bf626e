import Testing
@testable import KubeTypes

@Suite struct CodecYAMLTests {
    private func yamlError(_ text: String) -> KubeDecodingError? {
        codecError { _ = try KubeYAML.parse(text) }
    }

    @Test func typesScalarsByTheCoreSchema() throws {
        let v = try KubeYAML.parse("""
        quotedOn: "on"
        on: on
        yes: yes
        float: 1.0
        half: 2.5
        exp: 1e3
        hex: 0x1F
        octal: 0o17
        mode: 0644
        nine: 09
        neg: -42
        null1: null
        null2: ~
        empty:
        bool: true
        "False": False
        quoted: "123"
        single: '4.5'
        tagged: !!str 123
        taggedInt: !!int "12"
        plain: hello world
        date: 2024-05-01T12:00:00Z
        version: 1.2.3
        big: 12345678901234567890
        """)
        #expect(v["quotedOn"] == .string("on"))
        #expect(v["on"] == .string("on"))
        #expect(v["yes"] == .string("yes"))
        #expect(v["float"] == .int(1))
        #expect(v["half"] == .double(2.5))
        #expect(v["exp"] == .int(1000))
        #expect(v["hex"] == .int(31))
        #expect(v["octal"] == .int(15))
        #expect(v["mode"] == .int(420))
        #expect(v["nine"] == .int(9))
        #expect(v["neg"] == .int(-42))
        #expect(v["null1"] == .null)
        #expect(v["null2"] == .null)
        #expect(v["empty"] == .null)
        #expect(v["bool"] == .bool(true))
        #expect(v["False"] == .bool(false))
        #expect(v["quoted"] == .string("123"))
        #expect(v["single"] == .string("4.5"))
        #expect(v["tagged"] == .string("123"))
        #expect(v["taggedInt"] == .int(12))
        #expect(v["plain"] == .string("hello world"))
        #expect(v["date"] == .string("2024-05-01T12:00:00Z"))
        #expect(v["version"] == .string("1.2.3"))
        #expect(v["big"] == .double(12345678901234567890.0))
        // Document order is kept.
        if case let .object(members) = v { #expect(members.first?.key == "quotedOn") }
    }

    @Test func decodesStrictlyLikeJSON() throws {
        let yaml = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: web
          labels: {app: nginx}
        spec:
          containers:
          - name: nginx
            image: nginx:1.27
            ports:
            - containerPort: 80
              protocol: TCP
          - name: side
            imagePullPolcy: Always
        """
        let error = try #require(codecError { _ = try KubeYAML.decode(FxPod.self, from: yaml) })
        #expect(error.kind == .unknownField)
        #expect(error.fieldPath == "spec.containers[1].imagePullPolcy")
        let fixed = yaml.replacingOccurrences(of: "imagePullPolcy", with: "imagePullPolicy")
        let pod = try KubeYAML.decode(FxPod.self, from: fixed)
        #expect(pod.spec.containers[0].ports?[0].containerPort == 80)
        #expect(pod.spec.containers[1].imagePullPolicy == "Always")
        let mismatch = codecError { _ = try KubeYAML.decode(FxPort.self, from: "containerPort: \"80\"") }
        #expect(mismatch?.kind == .typeMismatch)
        #expect(mismatch?.fieldPath == "containerPort")
    }

    @Test func acceptsOnlyOneDocument() throws {
        let error = try #require(yamlError("a: 1\n---\nb: 2\n"))
        #expect(error.kind == .syntax)
        #expect(error.message.contains("only one YAML document"))
        #expect(error.line == 3)
        // Document markers around a single document, and a trailing empty document, are fine.
        #expect(try KubeYAML.parse("---\na: 1\n...\n") == .object([("a", .int(1))]))
        #expect(try KubeYAML.parse("a: 1\n---\n") == .object([("a", .int(1))]))
        #expect(try KubeYAML.parse("") == .null)
    }

    @Test func syntaxErrorsCarryLineAndColumn() throws {
        let unclosed = try #require(yamlError("a: 1\nb: [1, 2\nc: 3\n"))
        #expect(unclosed.kind == .syntax)
        #expect(unclosed.line != nil && unclosed.column != nil)
        #expect(unclosed.message.hasPrefix("YAML syntax error at line"))

        let badIndent = try #require(yamlError("a:\n  b: 1\n c: 2\n"))
        #expect(badIndent.kind == .syntax)
        #expect(badIndent.line == 3)

        let tab = try #require(yamlError("a:\n\tb: 1\n"))
        #expect(tab.line == 2)
    }

    @Test func rejectsNonStringKeys() throws {
        let number = try #require(yamlError("metadata:\n  1: a\n"))
        #expect(number.kind == .invalidValue)
        #expect(number.line == 2)
        #expect(number.column == 3)
        #expect(number.fieldPath == "metadata")
        #expect(number.message.contains("not a string"))
        #expect(yamlError("? [a, b]\n: c\n")?.message.contains("mapping keys must be strings") == true)
        #expect(yamlError("null: x\n") != nil)
        // Quoted or explicitly tagged keys are strings.
        #expect(try KubeYAML.parse("\"1\": a\n!!str 2: b\n") == .object([("1", .string("a")), ("2", .string("b"))]))
    }

    @Test func rejectsDuplicateKeys() throws {
        let error = try #require(yamlError("a: 1\nb: 2\na: 3\n"))
        #expect(error.kind == .duplicateField)
        #expect(error.message.contains("\"a\""))
        #expect(error.line != nil)
        // An explicit !!str key duplicating a plain one is still the same JSON key.
        let tagged = try #require(yamlError("spec:\n  a: 1\n  !!str a: 2\n"))
        #expect(tagged.kind == .duplicateField)
        #expect(tagged.fieldPath == "spec.a")
    }

    @Test func boundsAliasExpansionAndSupportsMerges() throws {
        let plain = try KubeYAML.parse("base: &b {x: 1, y: 2}\ncopy: *b\nmerged:\n  <<: *b\n  y: 3\n")
        #expect(plain["copy"] == .object([("x", .int(1)), ("y", .int(2))]))
        #expect(plain["merged"] == .object([("y", .int(3)), ("x", .int(1))]))

        var bomb = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for i in 1...9 {
            let ref = "*a\(i - 1)"
            bomb += "a\(i): &a\(i) [\(Array(repeating: ref, count: 10).joined(separator: ", "))]\n"
        }
        let error = try #require(yamlError(bomb))
        #expect(error.message.contains("too many values"))
    }

    @Test func rejectsUnrepresentableValuesAndUnknownTags() throws {
        #expect(yamlError("a: .inf\n")?.message.contains("cannot be represented in JSON") == true)
        #expect(yamlError("a: !!int abc\n")?.line == 1)
        #expect(yamlError("a: !custom x\n")?.message.contains("unsupported tag") == true)
        #expect(yamlError("a: !!set {x}\n") != nil)
    }

    @Test func encodesYAMLThatReadsBack() throws {
        let pod = try KubeJSON.decode(FxPod.self, from: codecBytes(codecSamplePodJSON))
        let yaml = try KubeYAML.encode(pod)
        #expect(yaml.hasPrefix("apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n"))
        #expect(try KubeYAML.decode(FxPod.self, from: yaml) == pod)

        let tricky = FxContainer(name: "yes", image: "123", imagePullPolicy: "null", args: ["on", "0x1F", "", "a\nb", "1.0", "~"])
        let text = try KubeYAML.encode(tricky)
        #expect(try KubeYAML.decode(FxContainer.self, from: text) == tricky)
    }
}
