import Testing
@testable import KubeTypes

@Suite struct CodecJSONParserTests {
    private func syntaxError(_ json: String) -> KubeDecodingError? {
        codecError { _ = try KubeJSON.parse(codecBytes(json)) }
    }

    @Test func syntaxErrorsCarryLineAndColumn() throws {
        let missingColon = try #require(syntaxError("{\n  \"a\": 1,\n  \"b\" 2\n}"))
        #expect(missingColon.kind == .syntax)
        #expect(missingColon.line == 3)
        #expect(missingColon.column == 7)
        #expect(missingColon.message.hasPrefix("JSON syntax error at line 3, column 7"))
        #expect(missingColon.fieldPath == "")

        // Columns count characters, not bytes.
        let afterUnicode = try #require(syntaxError("[\"é😀\" x]"))
        #expect(afterUnicode.line == 1)
        #expect(afterUnicode.column == 7)

        let inNested = try #require(syntaxError(#"{"spec":{"containers":[{"name":tru}]}}"#))
        #expect(inNested.fieldPath == "spec.containers[0].name")
        #expect(inNested.column == 32)

        for bad in ["", "   ", "{", "[1,]", "{\"a\":1,}", "[1 2]", "01", "-", "1.", "1e", "+1", "nul", "\"abc",
                    "\"a\\x\"", "\"\\u12G4\"", "\"tab\there\"", "{} {}", "[] x", "{1:2}", "'a'", "NaN"] {
            let error = syntaxError(bad)
            #expect(error?.kind == .syntax, "\(bad) should be a syntax error")
            #expect(error?.line != nil, "\(bad)")
        }
        let trailing = try #require(syntaxError("{}\n  ]"))
        #expect(trailing.line == 2)
        #expect(trailing.column == 3)
        #expect(trailing.message.contains("after the top-level value"))
    }

    @Test func parsesScalarsAndKeepsOrder() throws {
        let v = try KubeJSON.parse(codecBytes(" {\"z\":1,\"a\":-0.5,\"m\":[true,false,null],\"big\":-9223372036854775808,\"huge\":18446744073709551616,\"e\":1E2} \r\n"))
        guard case let .object(members) = v else {
            Issue.record("expected an object")
            return
        }
        #expect(members.map(\.key) == ["z", "a", "m", "big", "huge", "e"])
        #expect(v["z"] == .int(1))
        #expect(v["a"] == .double(-0.5))
        #expect(v["m"] == .array([.bool(true), .bool(false), .null]))
        if case let .int(i)? = v["big"] { #expect(i == Int64.min) } else { Issue.record("big is not an int") }
        if case let .double(d)? = v["huge"] { #expect(d == 18446744073709551616.0) } else { Issue.record("huge is not a double") }
        #expect(v["e"] == .double(100))
        let outOfRange = syntaxError("[1e400]")
        #expect(outOfRange?.kind == .invalidValue)
        #expect(outOfRange?.fieldPath == "[0]")
        // A byte order mark is skipped.
        #expect(try KubeJSON.parse([0xEF, 0xBB, 0xBF] + codecBytes("[1]")) == .array([.int(1)]))
    }

    @Test func decodesEscapesAndSurrogates() throws {
        let v = try KubeJSON.parse(codecBytes(#"["\"\\\/\b\f\n\r\t", "\u00e9\uD83D\uDE00", "x\uD800y", "\uDC00", "\uD800\u0041", "ok é"]"#))
        #expect(v == .array([.string("\"\\/\u{8}\u{C}\n\r\t"), .string("é😀"), .string("x\u{FFFD}y"),
                             .string("\u{FFFD}"), .string("\u{FFFD}A"), .string("ok é")]))
    }

    @Test func limitsNestingDepth() throws {
        let ok = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        #expect(throws: Never.self) { _ = try KubeJSON.parse(codecBytes(ok)) }
        let deep = String(repeating: "[", count: 513) + String(repeating: "]", count: 513)
        let error = try #require(syntaxError(deep))
        #expect(error.kind == .syntax)
        #expect(error.message.contains("deeper than 512"))
        // Far deeper input fails the same way instead of exhausting the stack.
        let hostile = String(repeating: "{\"a\":", count: 100_000)
        #expect(syntaxError(hostile)?.message.contains("deeper than 512") == true)
    }

    @Test func serializeRoundTripsParse() throws {
        let json = #"{"b":[1,-2,3.25,"s\u0001",{"x":null}],"a":{"t":true,"f":false},"u":"\u2028é"}"#
        let tree = try KubeJSON.parse(codecBytes(json))
        var out: [UInt8] = []
        KubeJSON.serialize(tree, into: &out)
        #expect(codecText(out) == #"{"b":[1,-2,3.25,"s\u0001",{"x":null}],"a":{"t":true,"f":false},"u":"\u2028é"}"#)
        #expect(try KubeJSON.parse(out) == tree)
    }
}
