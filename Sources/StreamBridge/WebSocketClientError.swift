/// Why a WebSocket connection to a runtime's stream server failed or ended abnormally.
public enum WebSocketClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The URL is not `http://host:port/path` on a numeric IPv4 address.
    case invalidURL(String)
    /// TCP connect failed (errno text).
    case connectFailed(String)
    /// Connect plus handshake did not finish within the timeout.
    case handshakeTimedOut(Duration)
    /// The server answered the upgrade with something other than 101; carries the status and the start of the body.
    case upgradeRefused(status: Int, body: String)
    /// The 101 answer broke RFC 6455 (bad accept key, missing headers, unoffered subprotocol).
    case invalidHandshake(String)
    /// The server broke the framing protocol.
    case protocolViolation(String)
    /// The connection dropped without a Close frame (the runtime restarted, say).
    case connectionLost(String)
    /// The connection is closed; nothing more can be sent.
    case closed
    /// Two tasks called `receive()` at the same time.
    case concurrentReceive

    /// Human-readable description.
    public var description: String {
        switch self {
        case .invalidURL(let url): return "invalid stream URL \"\(url)\""
        case .connectFailed(let why): return "connecting to the runtime's stream server failed: \(why)"
        case .handshakeTimedOut(let d): return "the runtime's stream server did not complete the WebSocket handshake within \(d)"
        case .upgradeRefused(let status, let body):
            return "the runtime's stream server refused the WebSocket upgrade with HTTP \(status): \(body)"
        case .invalidHandshake(let why): return "invalid WebSocket handshake from the runtime's stream server: \(why)"
        case .protocolViolation(let why): return "WebSocket protocol violation by the runtime's stream server: \(why)"
        case .connectionLost(let why): return "the connection to the runtime's stream server was lost: \(why)"
        case .closed: return "the WebSocket connection to the runtime's stream server is closed"
        case .concurrentReceive: return "two tasks called receive() on one WebSocket connection"
        }
    }
}
