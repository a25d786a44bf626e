import Testing
@testable import StreamBridge

/// Parsing of the stream URLs CRI returns, and the RFC 6455 accept key.
@Suite struct StreamEndpointTests {
    @Test func parsesContainerdStyleURL() throws {
        let endpoint = try StreamEndpoint(url: "http://127.0.0.1:41235/exec/AbC_d-9")
        #expect(endpoint == StreamEndpoint(host: "127.0.0.1", port: 41235, target: "/exec/AbC_d-9"))
        #expect(try StreamEndpoint(url: "http://10.0.0.2:80").target == "/")
    }

    @Test func rejectsWhatItCannotReach() {
        for url in ["https://127.0.0.1:1/x", "http://localhost:10/x", "http://127.0.0.1/x", "http://127.0.0.1:0/x",
                    "http://127.0.0.1:70000/x", "http://1.2.3:5/x", "ftp://127.0.0.1:5/x"] {
            #expect(throws: WebSocketClientError.self, "\(url)") { try StreamEndpoint(url: url) }
        }
    }

    @Test func acceptKeyMatchesRFC6455Example() {
        // RFC 6455 §1.3's worked example.
        #expect(ClientHandshake.acceptKey(for: "dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
    }
}
