import EventHTTP
import Foundation
import NodeAPI
import Testing

/// The authentication and authorization matrix over real TLS with curl: every kind of route against every kind
/// of credential. The expected codes are written out by hand, independently of the Role implementation.
@Suite struct AuthMatrixTests {
    /// One route per resource and verb the node serves, each answering 200 "reached" when allowed through.
    static let routes: [APIRoute] = {
        let reached: HTTPHandler = { _, _ in .text("reached") }
        return HealthRoutes(readinessChecks: []).routes + [
            APIRoute("GET", "/pods", access: .resource("pods"), handler: reached),
            APIRoute("POST", "/pods", access: .resource("pods"), handler: reached),
            APIRoute("DELETE", "/pods/{namespace}/{name}", access: .resource("pods"), handler: reached),
            APIRoute("GET", "/containerLogs/{namespace}/{pod}/{container}", access: .resource("pods/log"), handler: reached),
            APIRoute("POST", "/exec/{namespace}/{pod}/{container}", access: .resource("pods/exec", verb: "create"), handler: reached),
            APIRoute("GET", "/exec/{namespace}/{pod}/{container}", access: .resource("pods/exec", verb: "create"), handler: reached),
            APIRoute("GET", "/attach/{namespace}/{pod}/{container}", access: .resource("pods/attach", verb: "create"), handler: reached),
            APIRoute("GET", "/portForward/{namespace}/{pod}", access: .resource("pods/portforward", verb: "create"), handler: reached),
            APIRoute("GET", "/stats/summary", access: .resource("stats"), handler: reached),
            APIRoute("GET", "/metrics", access: .resource("metrics"), handler: reached),
            APIRoute("GET", "/configz", access: .resource("configz"), handler: reached),
        ]
    }()

    // Columns: admin, viewer, metrics, no role. 200 = allowed, 403 = authenticated but forbidden.
    static let expectations: [(method: String, path: String, codes: [Int])] = [
        ("GET", "/pods", [200, 200, 403, 403]),
        ("POST", "/pods", [200, 403, 403, 403]),
        ("DELETE", "/pods/default/web", [200, 403, 403, 403]),
        ("GET", "/containerLogs/default/web/app", [200, 200, 403, 403]),
        ("POST", "/exec/default/web/app", [200, 403, 403, 403]),
        ("GET", "/exec/default/web/app", [200, 403, 403, 403]),
        ("GET", "/attach/default/web/app", [200, 403, 403, 403]),
        ("GET", "/portForward/default/web", [200, 403, 403, 403]),
        ("GET", "/stats/summary", [200, 200, 200, 403]),
        ("GET", "/metrics", [200, 200, 200, 403]),
        ("GET", "/configz", [200, 403, 403, 403]),
        ("GET", "/no/such/route", [404, 404, 404, 404]),
    ]

    @Test func everyCredentialAgainstEveryRoute() async throws {
        try await withTestNode(routes: Self.routes) { node in
            let identities: [[TestNode.Credential]] = [
                [.token("token-admin"), .certificate("admin")],
                [.token("token-viewer"), .certificate("viewer")],
                [.token("token-metrics"), .certificate("metrics")],
                [.token("token-norole"), .certificate("norole")],
            ]
            for row in Self.expectations {
                for (column, credentials) in identities.enumerated() {
                    for credential in credentials {
                        let reply = try await node.curl(row.method, row.path, credential: credential)
                        #expect(reply.status == row.codes[column], "\(row.method) \(row.path) with \(credential): \(reply.status) \(reply.body) curl exit \(reply.curlExit)")
                        if reply.status == 403 {
                            #expect(reply.body.contains("\"reason\":\"Forbidden\""))
                            #expect(reply.body.contains("\"kind\":\"Status\""))
                        }
                    }
                }
                // Anonymous and bad credentials: 401 everywhere, even on routes that do not exist.
                for credential: TestNode.Credential in [.none, .token("not-a-token")] {
                    let reply = try await node.curl(row.method, row.path, credential: credential)
                    #expect(reply.status == 401, "\(row.method) \(row.path) with \(credential): \(reply.status)")
                    #expect(reply.body.contains("\"reason\":\"Unauthorized\""))
                    #expect(reply.body.contains("\"code\":401"))
                }
                // A certificate from a CA the node does not trust never authenticates, whatever its O= says.
                let foreign = try await node.curl(row.method, row.path, credential: .certificate("foreign"))
                #expect(foreign.status == 401 || foreign.status == 0, "\(row.method) \(row.path) with a foreign certificate: \(foreign.status)")
            }
        }
    }

    @Test func forbiddenNamesUserVerbAndResource() async throws {
        try await withTestNode(routes: Self.routes) { node in
            let reply = try await node.curl("POST", "/exec/default/web/app", credential: .token("token-viewer"))
            #expect(reply.status == 403)
            #expect(reply.body.contains("user \\\"alice\\\" cannot create resource \\\"pods/exec\\\""), "\(reply.body)")
        }
    }

    @Test func healthProbesNeedNoCredentials() async throws {
        try await withTestNode(routes: Self.routes) { node in
            for path in ["/healthz", "/livez", "/readyz"] {
                let reply = try await node.curl("GET", path, credential: .none)
                #expect(reply.status == 200, "\(path): \(reply.status) curl exit \(reply.curlExit)")
                #expect(reply.body == "ok")
            }
        }
    }
}
