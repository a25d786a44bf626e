/// Files for serving TLS.
public struct TLSConfiguration: Sendable {
    /// PEM certificate chain (leaf first).
    public var certificateChainFile: String
    /// PEM private key for the leaf.
    public var privateKeyFile: String
    /// PEM CA bundle for client certificates. When set, clients are asked (not required) to present a
    /// certificate; one that verifies yields `HTTPRequest.clientCertificate`, one that does not verify yields no
    /// identity (the TLS handshake still succeeds), as kubelet behaves.
    public var clientCAFile: String?

    /// A TLS configuration from its files.
    public init(certificateChainFile: String, privateKeyFile: String, clientCAFile: String? = nil) {
        self.certificateChainFile = certificateChainFile
        self.privateKeyFile = privateKeyFile
        self.clientCAFile = clientCAFile
    }
}

/// Listener settings, limits and timeouts.
public struct HTTPServerConfiguration: Sendable {
    /// Address to bind ("0.0.0.0", "::", "127.0.0.1").
    public var address: String = "0.0.0.0"
    /// Port; 0 picks an ephemeral port (see `HTTPServer.boundPort`).
    public var port: Int = 10250
    /// TLS settings; nil serves plain HTTP (only when explicitly asked for).
    public var tls: TLSConfiguration?
    /// Maximum bytes of request line + header fields; more is answered 431.
    public var maxHeaderBytes: Int = 64 * 1024
    /// Maximum request body bytes; more is answered 413 (like the Kubernetes API server's 3 MiB).
    public var maxBodyBytes: Int = 3 * 1024 * 1024
    /// Maximum open connections; further connections are closed right after accept.
    public var maxConnections: Int = 1024
    /// Time allowed from the first byte of a request (or from accept, TLS handshake included) to the end of its
    /// header fields. Cuts off slowloris clients.
    public var headerTimeout: Duration = .seconds(10)
    /// Time allowed to receive a request body once the header fields are in.
    public var bodyTimeout: Duration = .seconds(60)
    /// How long a keep-alive connection may sit idle between requests, and how long a write may make no
    /// progress, before the connection is closed.
    public var idleTimeout: Duration = .seconds(120)
    /// The output buffer size above which `BodyWriter.write` and WebSocket sends wait (backpressure).
    public var outputHighWatermark: Int = 256 * 1024

    /// Defaults: 0.0.0.0:10250, limits 64 KiB headers / 3 MiB body, 1024 connections.
    public init() {}
}
