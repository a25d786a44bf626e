import Testing
@testable import KubeTypes

@Suite struct CodecDocumentTests {
    private let json = codecBytes(#"{"name":"c","image":"busybox"}"#)
    private let yaml = codecBytes("name: c\nimage: busybox\n")

    @Test func picksTheFormatFromTheContentType() throws {
        #expect(try KubeDocument.format(contentType: "application/json", body: yaml) == .json)
        #expect(try KubeDocument.format(contentType: "Application/JSON; charset=utf-8", body: yaml) == .json)
        #expect(try KubeDocument.format(contentType: "application/merge-patch+json", body: yaml) == .json)
        for type in ["application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml", "application/yaml ; charset=utf-8"] {
            #expect(try KubeDocument.format(contentType: type, body: json) == .yaml, "\(type)")
        }
        #expect(try KubeDocument.format(contentType: nil, body: codecBytes("  \n{}")) == .json)
        #expect(try KubeDocument.format(contentType: nil, body: yaml) == .yaml)
        #expect(throws: KubeUnsupportedContentType.self) {
            _ = try KubeDocument.format(contentType: "text/plain", body: json)
        }
    }

    @Test func decodesEitherSyntax() throws {
        let expected = FxContainer(name: "c", image: "busybox")
        #expect(try KubeDocument.decode(FxContainer.self, from: json, contentType: "application/json") == expected)
        #expect(try KubeDocument.decode(FxContainer.self, from: yaml, contentType: "application/yaml") == expected)
        #expect(try KubeDocument.decode(FxContainer.self, from: json, contentType: nil) == expected)
        #expect(try KubeDocument.decode(FxContainer.self, from: yaml, contentType: nil) == expected)
        // JSON is YAML, so a JSON body labelled YAML decodes too.
        #expect(try KubeDocument.decode(FxContainer.self, from: json, contentType: "text/yaml") == expected)
        // YAML labelled JSON is a JSON syntax error with a position.
        let error = codecError { _ = try KubeDocument.decode(FxContainer.self, from: yaml, contentType: "application/json") }
        #expect(error?.kind == .syntax)
        #expect(error?.line == 1)
        let invalidUTF8 = codecError { _ = try KubeDocument.decode(FxContainer.self, from: [0x61, 0x3A, 0x20, 0xFF], contentType: "application/yaml") }
        #expect(invalidUTF8?.kind == .syntax)
    }
}
