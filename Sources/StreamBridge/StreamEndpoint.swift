/// Where a runtime's stream server listens for one session: `http://127.0.0.1:<port>/<kind>/<token>`.
///
/// Only plain HTTP on a numeric IPv4 address is accepted: containerd's stream server binds loopback, and refusing
/// names keeps DNS (and its unbounded waits) out of the streaming path.
public struct StreamEndpoint: Sendable, Equatable {
    /// Dotted IPv4 address.
    public var host: String
    /// TCP port.
    public var port: UInt16
    /// Path and query, starting with "/".
    public var target: String

    /// An endpoint from its parts.
    public init(host: String, port: UInt16, target: String) {
        self.host = host
        self.port = port
        self.target = target
    }

    /// Parses a stream URL as CRI `Exec`, `Attach` and `PortForward` return it.
    public init(url: String) throws {
        let prefix = "http://"
        guard url.hasPrefix(prefix) else { throw WebSocketClientError.invalidURL(url) }
        let rest = url.dropFirst(prefix.count)
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        let authority = rest[..<slash]
        let target = slash == rest.endIndex ? "/" : String(rest[slash...])
        guard let colon = authority.lastIndex(of: ":"),
              let port = UInt16(authority[authority.index(after: colon)...]), port > 0 else {
            throw WebSocketClientError.invalidURL(url)
        }
        let host = String(authority[..<colon])
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4, octets.allSatisfy({ UInt8($0) != nil }) else { throw WebSocketClientError.invalidURL(url) }
        self.init(host: host, port: port, target: target)
    }
}
