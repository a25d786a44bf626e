/// Where a `GRPCUnaryClient` connects: a unix domain socket (the container runtime) or a TCP host and port (a
/// pod's gRPC health service).
public enum GRPCTarget: Sendable, Hashable, CustomStringConvertible {
    /// A unix domain socket at an absolute path.
    case unixSocket(path: String)
    /// A TCP address: an IPv4 or IPv6 literal (IPv6 without brackets) or a host name, and a port.
    case tcp(host: String, port: Int)

    /// The `:authority` sent with each call: `localhost` for a unix socket (as grpc-go sends), `host:port`
    /// otherwise, with IPv6 in brackets.
    var authority: String {
        switch self {
        case .unixSocket: return "localhost"
        case .tcp(let host, let port): return host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        }
    }

    /// `unix:///path` or `host:port`.
    public var description: String {
        switch self {
        case .unixSocket(let path): return "unix://\(path)"
        case .tcp: return authority
        }
    }
}
