/// Identity from a TLS client certificate that verified against the configured client CA.
public struct ClientCertificate: Sendable, Equatable {
    /// Subject CN: the user name, as in Kubernetes.
    public var commonName: String
    /// Subject O entries: the groups, as in Kubernetes.
    public var organizations: [String]

    /// An identity from its parts.
    public init(commonName: String, organizations: [String]) {
        self.commonName = commonName
        self.organizations = organizations
    }
}

/// A complete HTTP request as handed to handlers (the body is fully read, within the configured limit).
public struct HTTPRequest: Sendable {
    /// Uppercase method, e.g. "GET".
    public var method: String
    /// Percent-decoded path without the query.
    public var path: String
    /// The raw request target as received (path and query, still encoded).
    public var target: String
    /// Decoded query parameters.
    public var query: QueryParameters
    /// Request header fields.
    public var headers: HTTPHeaders
    /// The request body.
    public var body: [UInt8]
    /// Present only when the client presented a certificate that verified against the configured client CA.
    public var clientCertificate: ClientCertificate?
    /// "host:port" of the peer.
    public var remoteAddress: String
    /// "HTTP/1.1" or "HTTP/1.0".
    public var version: String

    /// A request from its parts (tests and adapters; the server builds these itself).
    public init(method: String, target: String, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = [],
                clientCertificate: ClientCertificate? = nil, remoteAddress: String = "", version: String = "HTTP/1.1") {
        self.method = method
        self.target = target
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        self.path = PercentDecoding.decode(parts.first ?? "", plusIsSpace: false)
        self.query = parts.count > 1 ? QueryParameters(parsing: parts[1]) : QueryParameters()
        self.headers = headers
        self.body = body
        self.clientCertificate = clientCertificate
        self.remoteAddress = remoteAddress
        self.version = version
    }
}
