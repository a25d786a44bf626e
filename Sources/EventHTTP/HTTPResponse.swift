/// What a response body is made of.
public enum HTTPBody: Sendable {
    /// A fixed body sent with Content-Length.
    case bytes([UInt8])
    /// A body produced over time, sent with chunked transfer encoding (identity + close for HTTP/1.0 clients).
    /// Each `write` is flushed promptly. The closure should return when it is done or when `write` throws
    /// `HTTPClientGone`.
    case stream(@Sendable (any BodyWriter) async throws -> Void)
    /// Switch the connection to the WebSocket protocol (RFC 6455); the server validates the handshake.
    case webSocket(WebSocketUpgrade)
}

/// Writes chunks of a streaming response.
public protocol BodyWriter: Sendable {
    /// Queues bytes for the client and flushes them promptly. Waits while the connection's output buffer is above
    /// its high watermark (backpressure). Throws `HTTPClientGone` once the client has left (or the server is
    /// shutting down).
    func write(_ bytes: [UInt8]) async throws
    /// False once the client has disconnected.
    var isClientConnected: Bool { get }
}

/// Thrown by `BodyWriter.write` and WebSocket sends when the client is gone.
public struct HTTPClientGone: Error, Sendable, CustomStringConvertible {
    /// An error value.
    public init() {}
    /// Human-readable description.
    public var description: String { "the HTTP client disconnected" }
}

/// A response produced by a handler.
public struct HTTPResponse: Sendable {
    /// Status code.
    public var status: Int
    /// Response header fields. Content-Length, Transfer-Encoding and Connection are managed by the server.
    public var headers: HTTPHeaders
    /// The body.
    public var body: HTTPBody
    /// Merged into the single access-log line for this request (middleware sets "user").
    public var logAttributes: [String: String] = [:]

    /// A response from its parts.
    public init(status: Int = 200, headers: HTTPHeaders = HTTPHeaders(), body: HTTPBody = .bytes([])) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A text/plain UTF-8 response.
    public static func text(_ s: String, status: Int = 200) -> HTTPResponse {
        HTTPResponse(status: status, headers: HTTPHeaders([("Content-Type", "text/plain; charset=utf-8")]),
                     body: .bytes(Array(s.utf8)))
    }

    /// An application/json response from pre-encoded bytes.
    public static func json(_ bytes: [UInt8], status: Int = 200) -> HTTPResponse {
        HTTPResponse(status: status, headers: HTTPHeaders([("Content-Type", "application/json")]), body: .bytes(bytes))
    }
}
