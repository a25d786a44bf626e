import Testing
@testable import KubeTypes

@Suite struct CodecJSONEncodeTests {
    private func json<T: Encodable>(_ value: T) throws -> String { codecText(try KubeJSON.encode(value)) }

    @Test func keysFollowCodingKeysOrderAndNilIsOmitted() throws {
        let pod = FxPod(
            apiVersion: "v1", kind: "Pod",
            metadata: FxMeta(name: "web", labels: ["tier": "front", "app": "nginx", "App": "x"]),
            spec: FxSpec(containers: [FxContainer(name: "c", image: nil, imagePullPolicy: "Always", args: [],
                                                  ports: [FxPort(name: nil, containerPort: 80, protocolName: "TCP")])],
                         restartPolicy: nil, terminationGracePeriodSeconds: 30, affinity: nil))
        #expect(try json(pod) == #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web","labels":{"App":"x","app":"nginx","tier":"front"}},"spec":{"containers":[{"name":"c","imagePullPolicy":"Always","args":[],"ports":[{"containerPort":80,"protocol":"TCP"}]}],"terminationGracePeriodSeconds":30}}"#)
    }

    @Test func roundTripsThroughTheStrictDecoder() throws {
        let original = try KubeJSON.decode(FxPod.self, from: codecBytes(codecSamplePodJSON))
        let encoded = try KubeJSON.encode(original)
        #expect(try KubeJSON.decode(FxPod.self, from: encoded) == original)
        // JSONValue members keep their document order on the way out.
        #expect(codecText(encoded).contains(#""affinity":{"nodeAffinity":{"zeta":1,"alpha":[true,null,2.5]}}"#))
    }

    @Test func escapesStrings() throws {
        let s = "q\"b\\s/\n\r\t\u{8}\u{C}\u{0}\u{1F}\u{7F}é😀\u{2028}\u{2029}<&>"
        #expect(try json([s]) == "[\"q\\\"b\\\\s/\\n\\r\\t\\b\\f\\u0000\\u001f\u{7F}é😀\\u2028\\u2029<&>\"]")
        #expect(try KubeJSON.decode([String].self, from: KubeJSON.encode([s])) == [s])
        // Keys are escaped too.
        #expect(try json(["a\"b": 1]) == #"{"a\"b":1}"#)
    }

    @Test func integersAreExact() throws {
        #expect(try json(FxNumbers(i8: Int8.min, u8: UInt8.max, i32: 0, i64: Int64.max, u64: UInt64.max)) ==
            #"{"i8":-128,"u8":255,"i32":0,"i64":9223372036854775807,"u64":18446744073709551615}"#)
        #expect(try json([Int64.min, -1, 0, 9, 10, 1_000_000]) == "[-9223372036854775808,-1,0,9,10,1000000]")
        #expect(try KubeJSON.decode(Int64.self, from: KubeJSON.encode(Int64.min)) == Int64.min)
    }

    @Test func doublesUseGoNotation() throws {
        let cases: [(Double, String)] = [
            (1.0, "1"), (-2.0, "-2"), (0.1, "0.1"), (2.5, "2.5"), (100.0, "100"), (123456789.0, "123456789"),
            (1e20, "100000000000000000000"), (1e21, "1e+21"), (1.5e300, "1.5e+300"), (1e-6, "0.000001"),
            (1e-7, "1e-7"), (1.25e-10, "1.25e-10"), (5e-324, "5e-324"), (0.0, "0"), (-0.0, "-0"),
            (Double.greatestFiniteMagnitude, "1.7976931348623157e+308"), (9007199254740993.0, "9007199254740992"),
        ]
        for (value, expected) in cases {
            #expect(try json([value]) == "[\(expected)]", "\(value)")
            let back = try KubeJSON.decode([Double].self, from: KubeJSON.encode([value]))
            #expect(back == [value], "\(value) must round-trip")
        }
        #expect(try json(FxNumbers(f: 0.1)) == #"{"f":0.1}"#)
        #expect(try json([Float(1e-7), Float(3)]) == "[1e-7,3]")
    }

    @Test func nonFiniteNumbersAreErrors() throws {
        #expect(throws: EncodingError.self) { _ = try KubeJSON.encode(FxNumbers(d: .nan)) }
        #expect(throws: EncodingError.self) { _ = try KubeJSON.encode([Double.infinity]) }
        #expect(throws: EncodingError.self) { _ = try KubeJSON.encode(JSONValue.array([.double(.nan)])) }
    }

    @Test func appendsIntoABufferAndRestoresItOnError() throws {
        var buffer = codecBytes("[")
        try KubeJSON.encode(FxPort(name: "a", containerPort: 1), into: &buffer)
        buffer.append(UInt8(ascii: ","))
        let before = buffer
        #expect(throws: EncodingError.self) {
            try KubeJSON.encode([FxNumbers(i8: 1), FxNumbers(d: .infinity)], into: &buffer)
        }
        #expect(buffer == before)
        try KubeJSON.encode(FxPort(name: "b", containerPort: 2), into: &buffer)
        buffer.append(UInt8(ascii: "]"))
        #expect(codecText(buffer) == #"[{"name":"a","containerPort":1},{"name":"b","containerPort":2}]"#)
    }

    @Test func splicesNestedContainersWrittenOutOfOrder() throws {
        let value = FxNested(a: 1, inner: "in", list: [3, 4], tail: true)
        #expect(try json(value) == #"{"a":1,"nested":{"inner":"in"},"list":[3,4],"tail":true}"#)
        #expect(try json([value, value]) == "[" + (try json(value)) + "," + (try json(value)) + "]")
        #expect(try KubeJSON.decode(FxNested.self, from: KubeJSON.encode(value)) == value)

        let derived = FxDerived(id: "base", extra: 7)
        #expect(try json(derived) == #"{"extra":7,"super":{"id":"base"}}"#)
        let back = try KubeJSON.decode(FxDerived.self, from: KubeJSON.encode(derived))
        #expect(back.id == "base" && back.extra == 7)
    }

    @Test func topLevelScalarsAndOptionals() throws {
        #expect(try json("x") == #""x""#)
        #expect(try json(true) == "true")
        #expect(try json([Int?.none, 1]) == "[null,1]")
        #expect(try json(JSONValue.object([("k", .int(1)), ("a", .string("v"))])) == #"{"k":1,"a":"v"}"#)
    }

    @Test func matchesFoundationSemantically() throws {
        // Foundation's encoder, with sorted keys, must describe the same document.
        let pod = try KubeJSON.decode(FxPod.self, from: codecBytes(codecSamplePodJSON))
        let ours = try KubeJSON.parse(KubeJSON.encode(pod))
        let foundation = try KubeJSON.parse(Array(foundationJSON(pod)))
        #expect(sortedKeys(ours) == sortedKeys(foundation))
    }

    private func sortedKeys(_ v: JSONValue) -> JSONValue {
        switch v {
        case let .object(m): return .object(m.map { ($0.key, sortedKeys($0.value)) }.sorted { $0.0 < $1.0 })
        case let .array(a): return .array(a.map(sortedKeys))
        default: return v
        }
    }
}
