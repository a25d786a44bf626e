@testable import KubeTypes

// Small Codable types shaped like Kubernetes objects, owned by the codec tests (not the real model types).

struct FxPort: Codable, Equatable {
    var name: String?
    var containerPort: Int32
    var protocolName: String?

    enum CodingKeys: String, CodingKey {
        case name, containerPort
        case protocolName = "protocol"
    }
}

struct FxContainer: Codable, Equatable {
    var name: String
    var image: String?
    var imagePullPolicy: String?
    var args: [String]?
    var ports: [FxPort]?
}

struct FxMeta: Codable, Equatable {
    var name: String
    var labels: [String: String]?
}

struct FxSpec: Codable, Equatable {
    var containers: [FxContainer]
    var restartPolicy: String?
    var terminationGracePeriodSeconds: Int64?
    /// Kept as given, like tolerations or affinity in the real types.
    var affinity: JSONValue?
}

struct FxPod: Codable, Equatable {
    var apiVersion: String
    var kind: String
    var metadata: FxMeta
    var spec: FxSpec
}

/// A custom single-value type, like Quantity: a string that must match a syntax.
struct FxQuantity: Codable, Equatable {
    var text: String
    init(_ text: String) { self.text = text }
    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let last = text.last, last.isNumber || last == "m" || last == "i" else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "quantities must match '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")
        }
        self.text = text
    }
    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }
}

struct FxResources: Codable, Equatable {
    var limits: [String: FxQuantity]?
}

struct FxNumbers: Codable, Equatable {
    var i8: Int8?
    var u8: UInt8?
    var i32: Int32?
    var i64: Int64?
    var u64: UInt64?
    var d: Double?
    var f: Float?
}

/// Uses the less common container APIs: nested containers written out of order, and an unkeyed nested list.
struct FxNested: Codable, Equatable {
    var a: Int
    var inner: String
    var list: [Int]
    var tail: Bool

    enum CodingKeys: String, CodingKey { case a, nested, list, tail }
    enum InnerKeys: String, CodingKey { case inner }

    init(a: Int, inner: String, list: [Int], tail: Bool) {
        self.a = a
        self.inner = inner
        self.list = list
        self.tail = tail
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        a = try c.decode(Int.self, forKey: .a)
        let n = try c.nestedContainer(keyedBy: InnerKeys.self, forKey: .nested)
        inner = try n.decode(String.self, forKey: .inner)
        var l = try c.nestedUnkeyedContainer(forKey: .list)
        var items: [Int] = []
        while !l.isAtEnd { items.append(try l.decode(Int.self)) }
        list = items
        tail = try c.decode(Bool.self, forKey: .tail)
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(a, forKey: .a)
        var n = c.nestedContainer(keyedBy: InnerKeys.self, forKey: .nested)
        var l = c.nestedUnkeyedContainer(forKey: .list)
        // The parent is written while both nested containers are still open.
        try c.encode(tail, forKey: .tail)
        try n.encode(inner, forKey: .inner)
        for item in list { try l.encode(item) }
    }
}

/// A class hierarchy coded through superEncoder/superDecoder.
class FxBase: Codable {
    var id: String
    init(id: String) { self.id = id }
}

final class FxDerived: FxBase, @unchecked Sendable {
    var extra: Int
    enum CodingKeys: String, CodingKey { case extra }
    init(id: String, extra: Int) {
        self.extra = extra
        super.init(id: id)
    }
    required init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        extra = try c.decode(Int.self, forKey: .extra)
        try super.init(from: c.superDecoder())
    }
    override func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(extra, forKey: .extra)
        try super.encode(to: c.superEncoder())
    }
}

/// Tries one reading of a member and falls back to another, like a type accepting two shapes.
struct FxEither: Decodable {
    var value: String
    enum CodingKeys: String, CodingKey { case value }
    struct Wrapped: Decodable { var text: String }
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if let wrapped = try? c.decode(Wrapped.self, forKey: .value) {
            value = wrapped.text
        } else {
            value = try c.decode(JSONValue.self, forKey: .value).compactText
        }
    }
}

extension JSONValue {
    var compactText: String {
        var bytes: [UInt8] = []
        KubeJSON.serialize(self, into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}

func codecBytes(_ s: String) -> [UInt8] { Array(s.utf8) }
func codecText(_ b: [UInt8]) -> String { String(decoding: b, as: UTF8.self) }

/// Runs `body`, which must throw a `KubeDecodingError`, and returns it.
func codecError(_ body: () throws -> Void) -> KubeDecodingError? {
    do {
        try body()
        return nil
    } catch let error as KubeDecodingError {
        return error
    } catch {
        return nil
    }
}

/// The error `KubeYAML.parse` throws for `text`, or nil when it parses.
func yamlParseError(_ text: String) -> KubeDecodingError? {
    codecError { _ = try KubeYAML.parse(text) }
}

let codecSamplePodJSON = """
{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web","labels":{"tier":"front","app":"nginx"}},
 "spec":{"containers":[{"name":"nginx","image":"nginx:1.27","args":["-g","daemon off;"],
   "ports":[{"name":"http","containerPort":80,"protocol":"TCP"}]},{"name":"side","image":"busybox"}],
 "restartPolicy":"Always","terminationGracePeriodSeconds":30,
 "affinity":{"nodeAffinity":{"zeta":1,"alpha":[true,null,2.5]}}}}
"""
