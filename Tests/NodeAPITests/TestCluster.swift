import EventHTTP
import Foundation
import Logging
import NodeAPI

/// A real Swiftlet API server on 127.0.0.1 with generated TLS material, tokens and client certificates per role.
final class TestNode: Sendable {
    let directory: String
    let server: HTTPServer
    let pki: PKIFiles
    let foreignCA: PKIFiles
    let port: Int
    let routes: [APIRoute]

    /// Tokens per test identity.
    static let tokens: [String: UserInfo] = [
        "token-admin": UserInfo(name: "root", uid: "1", groups: ["system:masters"]),
        "token-viewer": UserInfo(name: "alice", uid: "2"),
        "token-metrics": UserInfo(name: "prometheus", uid: "3"),
        "token-norole": UserInfo(name: "mallory", uid: "4"),
    ]

    static let policy = AuthorizationPolicy(bindings: [
        .init(role: .viewer, users: ["alice"], groups: ["viewers"]),
        .init(role: .metrics, users: ["prometheus"], groups: ["scrapers"]),
    ])

    init(routes: [APIRoute]) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("swiftlet-nodeapi-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let logger = Logger(label: "test")
        pki = try PKIBootstrap.ensure(directory: directory + "/pki", hostnames: ["localhost"], ipAddresses: ["127.0.0.1"], logger: logger)
        foreignCA = try PKIBootstrap.ensure(directory: directory + "/foreign", hostnames: ["localhost"], ipAddresses: ["127.0.0.1"], logger: logger)
        // Client certificates: group membership drives the role, as with Kubernetes' O= entries.
        let certs: [(String, String, [String])] = [
            ("admin", "cert-admin", ["system:masters"]),
            ("viewer", "cert-viewer", ["viewers"]),
            ("metrics", "cert-metrics", ["scrapers"]),
            ("norole", "cert-nobody", ["nobodies"]),
        ]
        for (file, cn, groups) in certs {
            try PKIBootstrap.issueClientCertificate(
                caDirectory: directory + "/pki", commonName: cn, organizations: groups,
                outputCertificate: "\(directory)/\(file).crt", outputKey: "\(directory)/\(file).key")
        }
        try PKIBootstrap.issueClientCertificate(
            caDirectory: directory + "/foreign", commonName: "intruder", organizations: ["system:masters"],
            outputCertificate: "\(directory)/foreign.crt", outputKey: "\(directory)/foreign.key")

        self.routes = routes
        let table = RouteTable(routes)
        var configuration = HTTPServerConfiguration()
        configuration.address = "127.0.0.1"
        configuration.port = 0
        configuration.tls = TLSConfiguration(certificateChainFile: pki.certificate, privateKeyFile: pki.privateKey, clientCAFile: pki.caCertificate)
        let auth = AuthMiddleware(
            authenticator: RequestAuthenticator(tokens: StaticTokenFile(tokens: Self.tokens)),
            policy: Self.policy, table: table, nodeName: "test-node")
        server = HTTPServer(configuration: configuration, router: table.makeRouter(), middleware: [auth], logger: logger)
        try server.start()
        port = server.boundPort
    }

    func stop() async {
        await server.shutdown(gracePeriod: .seconds(2))
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// How a test client presents itself.
    enum Credential: CustomStringConvertible, Sendable {
        case none
        case token(String)
        case certificate(String)

        var description: String {
            switch self {
            case .none: return "no credentials"
            case let .token(t): return "token \(t)"
            case let .certificate(c): return "certificate \(c)"
            }
        }
    }

    /// A curl result: HTTP status (0 when the connection or handshake failed) and body.
    struct Reply: Sendable {
        var status: Int
        var body: String
        var curlExit: Int32
    }

    /// Sends one request with curl, a real TLS client.
    func curl(_ method: String, _ path: String, credential: Credential, extra: [String] = []) async throws -> Reply {
        let arguments = curlArguments(method, path, credential: credential, extra: extra)
        return try await offPool { try Self.runCurl(arguments) }
    }

    private func curlArguments(_ method: String, _ path: String, credential: Credential, extra: [String]) -> [String] {
        var arguments = ["-S", "--max-time", "30", "-X", method,
                         "--cacert", pki.caCertificate]
        switch credential {
        case .none: break
        case let .token(token): arguments += ["-H", "Authorization: Bearer \(token)"]
        case let .certificate(name): arguments += ["--cert", "\(directory)/\(name).crt", "--key", "\(directory)/\(name).key"]
        }
        arguments += extra
        arguments.append("https://127.0.0.1:\(port)\(path)")
        return arguments
    }

    private static func runCurl(_ arguments: [String]) throws -> Reply {
        let result = try CurlRunner.run(arguments)
        return Reply(status: result.status, body: result.body, curlExit: result.exitCode)
    }
}

/// Runs `body` against a fresh node and stops the node afterwards, also when `body` throws.
func withTestNode<T>(routes: [APIRoute], _ body: (TestNode) async throws -> T) async throws -> T {
    let node = try TestNode(routes: routes)
    do {
        let result = try await body(node)
        await node.stop()
        return result
    } catch {
        await node.stop()
        throw error
    }
}
