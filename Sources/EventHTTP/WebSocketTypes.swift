/// A WebSocket data message.
public enum WebSocketMessage: Sendable, Equatable {
    /// A text message (valid UTF-8).
    case text(String)
    /// A binary message.
    case binary([UInt8])
}

/// Returned as `HTTPBody.webSocket` to accept an RFC 6455 upgrade on this request.
public struct WebSocketUpgrade: Sendable {
    /// Subprotocols the server supports, in preference order. If the client offers some and none matches, the
    /// upgrade is refused with 403 Forbidden (as kubelet does). If the client offers none, none is selected.
    public var subprotocols: [String]
    /// Largest message (after reassembly of fragments) accepted; bigger ones close the connection with 1009.
    public var maxMessageBytes: Int
    /// Runs once the connection has switched protocols. When it returns, the server closes with 1000.
    public var handler: @Sendable (WebSocketConnection) async -> Void

    /// An upgrade description.
    public init(subprotocols: [String], maxMessageBytes: Int = 16 << 20,
                handler: @escaping @Sendable (WebSocketConnection) async -> Void) {
        self.subprotocols = subprotocols
        self.maxMessageBytes = maxMessageBytes
        self.handler = handler
    }
}
