/// An `/etc/hosts` entry added to the pod.
public struct HostAlias: Codable, Sendable, Equatable {
    /// IP address of the entry.
    public var ip: String?
    /// Hostnames for the IP address.
    public var hostnames: [String]?

    /// Creates a `HostAlias`; every optional field defaults to absent.
    public init(ip: String? = nil, hostnames: [String]? = nil) {
        self.ip = ip
        self.hostnames = hostnames
    }

    enum CodingKeys: String, CodingKey {
        case ip
        case hostnames
    }
}
