import Foundation
import KubeTypes
import NodeAPI
import Testing

/// The OpenAPI document is valid and describes exactly the routes the router serves.
@Suite struct OpenAPISpecTests {
    static var specPath: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("openapi/swiftlet.yaml").path
    }

    @Test func specIsValidOpenAPI31() async throws {
        let specPath = Self.specPath
        let (status, message) = try await offPool { try Self.validate(specPath) }
        #expect(status == 0, "openapi-spec-validator: \(message)")
    }

    static func validate(_ specPath: String) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", """
            import sys
            from openapi_spec_validator import validate
            from openapi_spec_validator.readers import read_from_filename
            spec, _ = read_from_filename(sys.argv[1])
            validate(spec)
            """, specPath]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, message)
    }

    /// The routes exactly as the executable builds them.
    static func routes() async throws -> [APIRoute] {
        let fixture = try await PodAPIFixture.make()
        let routes = fixture.node.routes
        await fixture.stop()
        return routes
    }

    @Test func everyRouteIsInTheSpecAndViceVersa() async throws {
        let text = try String(contentsOfFile: Self.specPath, encoding: .utf8)
        let spec = try #require(try KubeYAML.parse(text).members)
        let paths = try #require(spec["paths"]?.members)
        let methods: Set<String> = ["get", "put", "post", "delete", "patch", "head", "options"]
        var documented: Set<String> = []
        for (path, item) in paths {
            let operations = try #require(item.members, "path item \(path)")
            for (key, _) in operations where methods.contains(key) {
                documented.insert("\(key.uppercased()) \(path)")
            }
        }
        let served = Set(try await Self.routes().map { "\($0.method) \($0.pattern)" })
        #expect(served.subtracting(documented).sorted() == [], "served but not documented")
        #expect(documented.subtracting(served).sorted() == [], "documented but not served")
        #expect(!served.isEmpty)
    }

    @Test func everyProtectedOperationDocumentsItsAuthErrors() async throws {
        let text = try String(contentsOfFile: Self.specPath, encoding: .utf8)
        let spec = try #require(try KubeYAML.parse(text).members)
        let paths = try #require(spec["paths"]?.members)
        for route in try await Self.routes() where route.access != .publicAccess {
            let item = try #require(paths[route.pattern]?.members)
            let operation = try #require(item[route.method.lowercased()]?.members)
            let responses = try #require(operation["responses"]?.members)
            #expect(responses["401"] != nil, "\(route.method) \(route.pattern) lacks 401")
            #expect(responses["403"] != nil, "\(route.method) \(route.pattern) lacks 403")
        }
    }
}

extension JSONValue {
    /// The members when this is a mapping (the `[String: Any]` that the spec is walked as), nil otherwise.
    fileprivate var members: [String: JSONValue]? {
        guard case let .object(members) = self else { return nil }
        // The reader refuses repeated keys, so this keeps every member.
        return Dictionary(members.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
    }
}
