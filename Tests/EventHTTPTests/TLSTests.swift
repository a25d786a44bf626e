import EventHTTP
import Foundation
import Testing

/// Answers with the verified client identity, or "anonymous".
private func identityRouter() -> Router {
    var router = Router()
    router.get("/whoami") { request, _ in
        guard let cert = request.clientCertificate else { return .text("anonymous") }
        return .text("\(cert.commonName)|\(cert.organizations.joined(separator: ","))")
    }
    router.get("/peer") { request, _ in .text(request.remoteAddress) }
    return router
}

@Suite("EventHTTP TLS")
struct TLSTests {
    @Test func handshakeWithGeneratedCAAndALPN() async throws {
        let s = try TestServer.start(router: identityRouter())
        let r = try await s.curl("/whoami", ["-v"])
        #expect(r.status == 0, "curl: \(r.stderr)")
        #expect(r.stdout == "anonymous")
        #expect(r.stderr.contains("ALPN: server accepted http/1.1") || r.stderr.contains("ALPN, server accepted to use http/1.1"))
        let py = try await python(["cmd": "raw", "port": s.port, "tls": true, "ca": SharedPKI.files.caCertificate,
                                   "alpn": ["h2", "http/1.1"],
                                   "parts": [b64("GET /whoami HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")]])
        #expect(py["version"] as? String == "TLSv1.3")
        #expect(py["alpn"] as? String == "http/1.1")
        let tls12 = try await python(["cmd": "raw", "port": s.port, "tls": true, "ca": SharedPKI.files.caCertificate,
                                      "tlsmax": "1.2",
                                      "parts": [b64("GET /whoami HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")]])
        #expect(tls12["version"] as? String == "TLSv1.2")
        #expect((tls12["response"] as? String)?.hasPrefix("HTTP/1.1 200 OK") == true)
        await s.stop()
    }

    @Test func plainHTTPToTLSPortFailsCleanly() async throws {
        let s = try TestServer.start(router: identityRouter())
        let plain = try await run("/usr/bin/curl", ["-sS", "--max-time", "5", "http://127.0.0.1:\(s.port)/whoami"])
        #expect(plain.status != 0)
        #expect(plain.stdout.isEmpty)
        // The server is unaffected.
        let r = try await s.curl("/whoami")
        #expect(r.status == 0 && r.stdout == "anonymous")
        await s.stop()
    }

    @Test func tls11IsRefused() async throws {
        let s = try TestServer.start(router: identityRouter())
        let r = try await python(["cmd": "raw", "port": s.port, "tls": true, "ca": SharedPKI.files.caCertificate,
                                  "tlsmax": "1.1", "parts": [b64("GET /whoami HTTP/1.1\r\nHost: x\r\n\r\n")]])
        let error = r["error"] as? String ?? ""
        // The client offered TLS 1.1 and the server answered with a protocol_version alert.
        #expect(error.contains("SSLError"), "got \(r)")
        // TLSV1_ALERT_PROTOCOL_VERSION is the alert *received from the server*; a client-side refusal would read
        // differently (e.g. NO_PROTOCOLS_AVAILABLE), so this cannot pass without the server refusing.
        #expect(error.uppercased().contains("ALERT_PROTOCOL_VERSION"), "got \(error)")
        await s.stop()
    }

    @Test func clientCertificatesFromTheCAAuthenticateOthersDoNot() async throws {
        let pki = SharedPKI.files
        let caDir = (pki.caCertificate as NSString).deletingLastPathComponent
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("eh-client-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        try PKIBootstrap.issueClientCertificate(caDirectory: caDir, commonName: "alice", organizations: ["dev", "system:masters"],
                                                outputCertificate: work + "/alice.crt", outputKey: work + "/alice.key")
        let other = try PKIBootstrap.ensure(directory: work + "/otherca", hostnames: ["x"], ipAddresses: [], logger: .init(label: "t"))
        try PKIBootstrap.issueClientCertificate(caDirectory: work + "/otherca", commonName: "mallory", organizations: ["system:masters"],
                                                outputCertificate: work + "/mallory.crt", outputKey: work + "/mallory.key")
        #expect(other.created)
        let s = try TestServer.start(clientCA: pki.caCertificate, router: identityRouter())
        let alice = try await s.curl("/whoami", ["--cert", work + "/alice.crt", "--key", work + "/alice.key"])
        #expect(alice.status == 0, "\(alice.stderr)")
        #expect(alice.stdout == "alice|dev,system:masters")
        let mallory = try await s.curl("/whoami", ["--cert", work + "/mallory.crt", "--key", work + "/mallory.key"])
        #expect(mallory.status == 0, "\(mallory.stderr)")
        #expect(mallory.stdout == "anonymous")
        let none = try await s.curl("/whoami")
        #expect(none.stdout == "anonymous")
        await s.stop()
    }

    @Test func twoHundredRequestsOverTwentyKeepAliveConnections() async throws {
        let s = try TestServer.start(router: identityRouter())
        let r = try await python(["cmd": "load", "port": s.port, "ca": SharedPKI.files.caCertificate,
                                  "connections": 20, "requests": 10], timeout: .seconds(40))
        #expect(r["ok"] as? Int == 200, "\(r)")
        #expect((r["fail"] as? [Any])?.isEmpty == true, "\(r)")
        #expect(r["distinctPeers"] as? Int == 20, "keep-alive must reuse connections: \(r)")
        await s.stop()
    }

    @Test func startFailsClearlyOnBadTLSFiles() throws {
        var config = HTTPServerConfiguration()
        config.address = "127.0.0.1"
        config.port = 0
        config.tls = TLSConfiguration(certificateChainFile: "/nonexistent.crt", privateKeyFile: "/nonexistent.key")
        let server = HTTPServer(configuration: config, router: Router(), logger: .init(label: "t"))
        #expect { try server.start() } throws: { error in
            "\(error)".contains("/nonexistent.crt")
        }
    }
}
