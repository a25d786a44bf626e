/// DNS parameters of a pod beyond those generated from `dnsPolicy`.
public struct PodDNSConfig: Codable, Sendable, Equatable {
    /// Name server IP addresses (at most 3).
    public var nameservers: [String]?
    /// DNS search domains (at most 32).
    public var searches: [String]?
    /// Resolver options.
    public var options: [PodDNSConfigOption]?

    /// Creates a `PodDNSConfig`; every optional field defaults to absent.
    public init(
        nameservers: [String]? = nil,
        searches: [String]? = nil,
        options: [PodDNSConfigOption]? = nil
    ) {
        self.nameservers = nameservers
        self.searches = searches
        self.options = options
    }

    enum CodingKeys: String, CodingKey {
        case nameservers
        case searches
        case options
    }
}

/// One resolver option, e.g. `ndots: "2"`.
public struct PodDNSConfigOption: Codable, Sendable, Equatable {
    /// Option name.
    public var name: String?
    /// Option value.
    public var value: String?

    /// Creates a `PodDNSConfigOption`; every optional field defaults to absent.
    public init(name: String? = nil, value: String? = nil) {
        self.name = name
        self.value = value
    }

    enum CodingKeys: String, CodingKey {
        case name
        case value
    }
}
