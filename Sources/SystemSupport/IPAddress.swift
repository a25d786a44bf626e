import Glibc

/// An IPv4 or IPv6 address literal (no brackets, no zone), parsed with inet_pton: what the socket clients (probes,
/// grpc health checks, the stream bridge) connect to when a host is a literal rather than a name.
public struct IPAddress: Sendable {
    private enum Storage: Sendable {
        case v4(in_addr)
        case v6(in6_addr)
    }

    private let storage: Storage

    /// Parses `text`; nil when it is not an address literal (a DNS name, say).
    public init?(_ text: String) {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            storage = .v4(v4)
            return
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            storage = .v6(v6)
            return
        }
        return nil
    }

    /// AF_INET or AF_INET6.
    public var family: Int32 {
        switch storage {
        case .v4: return AF_INET
        case .v6: return AF_INET6
        }
    }

    /// Calls `body` with a socket address for `port` and its length.
    public func withSocketAddress<R, E: Error>(
        port: Int, _ body: (UnsafePointer<sockaddr>, Int32) throws(E) -> R
    ) throws(E) -> R {
        switch storage {
        case .v4(let address):
            var sa = sockaddr_in()
            sa.sin_family = sa_family_t(AF_INET)
            sa.sin_port = in_port_t(UInt16(truncatingIfNeeded: port)).bigEndian
            sa.sin_addr = address
            return try withUnsafePointer(to: &sa) { (pointer) throws(E) in
                try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { (raw) throws(E) in
                    try body(raw, Int32(MemoryLayout<sockaddr_in>.size))
                }
            }
        case .v6(let address):
            var sa = sockaddr_in6()
            sa.sin6_family = sa_family_t(AF_INET6)
            sa.sin6_port = in_port_t(UInt16(truncatingIfNeeded: port)).bigEndian
            sa.sin6_addr = address
            return try withUnsafePointer(to: &sa) { (pointer) throws(E) in
                try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { (raw) throws(E) in
                    try body(raw, Int32(MemoryLayout<sockaddr_in6>.size))
                }
            }
        }
    }
}
