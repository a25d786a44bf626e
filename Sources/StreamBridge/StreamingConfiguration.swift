/// Limits and timeouts of interactive streams.
public struct StreamingConfiguration: Sendable {
    /// A stream with no traffic in either direction for this long is closed (kubelet's
    /// `--streaming-connection-idle-timeout`, default 4 h).
    public var idleTimeout: Duration
    /// Bound on connecting to the runtime's stream server and completing its WebSocket handshake.
    public var connectTimeout: Duration
    /// Most streams open at once on the node.
    public var maxStreams: Int
    /// Most streams open at once for one client (certificate user, token, or address).
    public var maxStreamsPerClient: Int

    /// The defaults: 4 h idle, 10 s connect, 128 streams in total, 16 per client.
    public init(idleTimeout: Duration = .seconds(4 * 3600), connectTimeout: Duration = .seconds(10),
                maxStreams: Int = 128, maxStreamsPerClient: Int = 16) {
        self.idleTimeout = idleTimeout
        self.connectTimeout = connectTimeout
        self.maxStreams = maxStreams
        self.maxStreamsPerClient = maxStreamsPerClient
    }
}
