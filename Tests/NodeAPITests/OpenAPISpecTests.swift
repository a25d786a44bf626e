import Foundation
import NodeAPI
import Testing
import Yams

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
        let spec = try #require(try Yams.load(yaml: text) as? [String: Any])
        let paths = try #require(spec["paths"] as? [String: Any])
        let methods: Set<String> = ["get", "put", "post", "delete", "patch", "head", "options"]
        var documented: Set<String> = []
        for (path, item) in paths {
            let operations = try #require(item as? [String: Any], "path item \(path)")
            for key in operations.keys where methods.contains(key) {
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
        let spec = try #require(try Yams.load(yaml: text) as? [String: Any])
        let paths = try #require(spec["paths"] as? [String: Any])
        for route in try await Self.routes() where route.access != .publicAccess {
            let item = try #require(paths[route.pattern] as? [String: Any])
            let operation = try #require(item[route.method.lowercased()] as? [String: Any])
            let responses = try #require(operation["responses"] as? [String: Any])
            #expect(responses["401"] != nil, "\(route.method) \(route.pattern) lacks 401")
            #expect(responses["403"] != nil, "\(route.method) \(route.pattern) lacks 403")
        }
    }
}
