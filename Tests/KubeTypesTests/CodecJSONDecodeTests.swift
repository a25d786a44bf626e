import Testing
@testable import KubeTypes

@Suite struct CodecJSONDecodeTests {
    @Test func decodesANestedDocument() throws {
        let pod = try KubeJSON.decode(FxPod.self, from: codecBytes(codecSamplePodJSON))
        #expect(pod.metadata.labels == ["app": "nginx", "tier": "front"])
        #expect(pod.spec.containers.count == 2)
        #expect(pod.spec.containers[0].ports?[0] == FxPort(name: "http", containerPort: 80, protocolName: "TCP"))
        #expect(pod.spec.containers[0].args == ["-g", "daemon off;"])
        #expect(pod.spec.containers[1].ports == nil)
        #expect(pod.spec.terminationGracePeriodSeconds == 30)
        #expect(pod.spec.affinity?["nodeAffinity"]?["alpha"] == .array([.bool(true), .null, .double(2.5)]))
    }

    @Test func reportsEveryUnknownFieldWithItsPath() throws {
        let json = """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"x","labels":{"a.b/c":"d"}},"status":{},
         "spec":{"containers":[{"name":"a"},{"name":"b","imagePullPolcy":"Always","ports":[{"containerPort":1,"hostPort":2}]}],
                 "affinity":{"anything":{"goes":[1]}}}}
        """
        let error = try #require(codecError { _ = try KubeJSON.decode(FxPod.self, from: codecBytes(json)) })
        #expect(error.kind == .unknownField)
        #expect(error.fieldPath == "status")
        #expect(Set(error.fieldPaths) == ["status", "spec.containers[1].imagePullPolcy", "spec.containers[1].ports[0].hostPort"])
        #expect(error.fieldPaths.count == 3)
        #expect(error.message.contains("unknown field \"spec.containers[1].imagePullPolcy\""))
        #expect(error.message.contains("unknown field \"spec.containers[1].ports[0].hostPort\""))
        #expect(error.line == nil)
    }

    @Test func recoveredAttemptsLeaveNoStaleUnknownFields() throws {
        // The first reading (Wrapped) opens the object, fails on "text", and is abandoned for JSONValue.
        let either = try KubeJSON.decode(FxEither.self, from: codecBytes(#"{"value":{"other":1}}"#))
        #expect(either.value == #"{"other":1}"#)
        let wrapped = try KubeJSON.decode(FxEither.self, from: codecBytes(#"{"value":{"text":"t"}}"#))
        #expect(wrapped.value == "t")
        let error = codecError { _ = try KubeJSON.decode(FxEither.self, from: codecBytes(#"{"value":{"text":"t","x":1}}"#)) }
        #expect(error?.fieldPath == "value.x")
    }

    @Test func rejectsDuplicateKeysWithPathAndPosition() throws {
        let json = "{\"spec\":{\"containers\":[{\"name\":\"a\",\n  \"name\":\"b\"}]}}"
        let error = try #require(codecError { _ = try KubeJSON.decode(FxPod.self, from: codecBytes(json)) })
        #expect(error.kind == .duplicateField)
        #expect(error.fieldPath == "spec.containers[0].name")
        #expect(error.line == 2)
        #expect(error.column == 3)
        #expect(error.message.contains("duplicate field \"spec.containers[0].name\""))
        // Large objects use a set; the duplicate is still found.
        let many = (0..<40).map { "\"k\($0)\":\($0)" }.joined(separator: ",") + ",\"k7\":0"
        let big = try #require(codecError { _ = try KubeJSON.parse(codecBytes("{" + many + "}")) })
        #expect(big.kind == .duplicateField)
        #expect(big.fieldPath == "k7")
    }

    @Test func reportsTypeMismatchesWithPathAndExpectedType() throws {
        let json = #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"x"},"spec":{"containers":[{"name":"a","ports":[{"containerPort":"80"}]}]}}"#
        let error = try #require(codecError { _ = try KubeJSON.decode(FxPod.self, from: codecBytes(json)) })
        #expect(error.kind == .typeMismatch)
        #expect(error.fieldPath == "spec.containers[0].ports[0].containerPort")
        #expect(error.message.contains("Int32"))
        #expect(error.message.contains("string \"80\""))
        #expect(error.message.contains("\"spec.containers[0].ports[0].containerPort\""))

        let nullName = codecError { _ = try KubeJSON.decode(FxMeta.self, from: codecBytes(#"{"name":null}"#)) }
        #expect(nullName?.kind == .typeMismatch)
        #expect(nullName?.fieldPath == "name")
        let root = codecError { _ = try KubeJSON.decode(FxMeta.self, from: codecBytes("[]")) }
        #expect(root?.fieldPath == "")
        #expect(root?.message.contains("the document root") == true)
    }

    @Test func reportsMissingRequiredFields() throws {
        let json = #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"x"},"spec":{"containers":[{"name":"a"},{"image":"b"}]}}"#
        let error = try #require(codecError { _ = try KubeJSON.decode(FxPod.self, from: codecBytes(json)) })
        #expect(error.kind == .missingField)
        #expect(error.fieldPath == "spec.containers[1].name")
        #expect(error.message == "missing required field \"spec.containers[1].name\"")
    }

    @Test func customTypesReportInvalidValuesAtTheirPath() throws {
        let good = try KubeJSON.decode(FxResources.self, from: codecBytes(#"{"limits":{"cpu":"100m","memory":"128Mi"}}"#))
        #expect(good.limits?["cpu"] == FxQuantity("100m"))
        let error = try #require(codecError {
            _ = try KubeJSON.decode(FxResources.self, from: codecBytes(#"{"limits":{"cpu":"lots"}}"#))
        })
        #expect(error.kind == .invalidValue)
        #expect(error.fieldPath == "limits.cpu")
        #expect(error.message.contains("quantities must match"))
        // Map keys that are not plain identifiers are bracketed, as Kubernetes' field paths do.
        let dotted = codecError { _ = try KubeJSON.decode(FxResources.self, from: codecBytes(#"{"limits":{"example.com/gpu":"x"}}"#)) }
        #expect(dotted?.fieldPath == "limits[example.com/gpu]")
    }

    @Test func checksIntegerRangesAndNumberKinds() throws {
        let json = #"{"i8":-128,"u8":255,"i32":2147483647,"i64":-9223372036854775808,"u64":9223372036854775807,"d":7,"f":0.5}"#
        let n = try KubeJSON.decode(FxNumbers.self, from: codecBytes(json))
        #expect(n == FxNumbers(i8: -128, u8: 255, i32: Int32.max, i64: Int64.min, u64: UInt64(Int64.max), d: 7, f: 0.5))
        let exact = try KubeJSON.decode(FxNumbers.self, from: codecBytes(#"{"i64":9223372036854775807,"i32":1e3}"#))
        #expect(exact.i64 == Int64.max)
        #expect(exact.i32 == 1000)

        for (json, path) in [(#"{"i8":128}"#, "i8"), (#"{"u8":-1}"#, "u8"), (#"{"i32":2147483648}"#, "i32"),
                             (#"{"i64":1.5}"#, "i64"), (#"{"d":"1"}"#, "d"), (#"{"f":1e300}"#, "f")] {
            let error = codecError { _ = try KubeJSON.decode(FxNumbers.self, from: codecBytes(json)) }
            #expect(error?.kind == .typeMismatch, "\(json)")
            #expect(error?.fieldPath == path, "\(json)")
        }
        let range = codecError { _ = try KubeJSON.decode(FxNumbers.self, from: codecBytes(#"{"i8":300}"#)) }
        #expect(range?.message.contains("out of range for Int8") == true)
    }

    @Test func supportsNestedUnkeyedAndSuperContainers() throws {
        let nested = try KubeJSON.decode(FxNested.self, from: codecBytes(#"{"a":1,"nested":{"inner":"x"},"list":[1,2],"tail":true}"#))
        #expect(nested == FxNested(a: 1, inner: "x", list: [1, 2], tail: true))
        let unknownInNested = codecError {
            _ = try KubeJSON.decode(FxNested.self, from: codecBytes(#"{"a":1,"nested":{"inner":"x","y":2},"list":[],"tail":true}"#))
        }
        #expect(unknownInNested?.fieldPath == "nested.y")

        let derived = try KubeJSON.decode(FxDerived.self, from: codecBytes(#"{"extra":2,"super":{"id":"base"}}"#))
        #expect(derived.id == "base")
        #expect(derived.extra == 2)
        let unknownInSuper = codecError { _ = try KubeJSON.decode(FxDerived.self, from: codecBytes(#"{"extra":2,"super":{"id":"b","z":0}}"#)) }
        #expect(unknownInSuper?.fieldPath == "super.z")
    }

    @Test func nullMeansAbsentForOptionals() throws {
        let c = try KubeJSON.decode(FxContainer.self, from: codecBytes(#"{"name":"a","image":null,"ports":null}"#))
        #expect(c.image == nil)
        #expect(c.ports == nil)
    }

    @Test func decodesFromATreeAndIntoJSONValue() throws {
        let tree = try KubeJSON.parse(codecBytes(codecSamplePodJSON))
        let pod = try KubeJSON.decode(FxPod.self, from: tree)
        #expect(pod.metadata.name == "web")
        let same = try KubeJSON.decode(JSONValue.self, from: codecBytes(codecSamplePodJSON))
        #expect(same == tree)
        #expect([String](tree["metadata"].flatMap { v -> [String]? in
            if case let .object(m) = v { return m.map(\.key) }
            return nil
        } ?? []) == ["name", "labels"])
    }
}
