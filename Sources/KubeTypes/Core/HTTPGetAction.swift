/// An HTTP GET against the container.
public struct HTTPGetAction: Codable, Sendable, Equatable {
    /// Request path; defaults to `/`.
    public var path: String?
    /// Port number or named container port.
    public var port: IntOrString
    /// Host to connect to; defaults to the pod IP.
    public var host: String?
    /// `HTTP` or `HTTPS`; defaults to `HTTP`.
    public var scheme: URIScheme?
    /// Extra request headers.
    public var httpHeaders: [HTTPHeader]?
    /// HTTP protocol negotiation mode; kept as given.
    public var `protocol`: String?

    /// Creates a `HTTPGetAction`; every optional field defaults to absent.
    public init(
        path: String? = nil,
        port: IntOrString = .int(0),
        host: String? = nil,
        scheme: URIScheme? = nil,
        httpHeaders: [HTTPHeader]? = nil,
        `protocol`: String? = nil
    ) {
        self.path = path
        self.port = port
        self.host = host
        self.scheme = scheme
        self.httpHeaders = httpHeaders
        self.protocol = `protocol`
    }

    enum CodingKeys: String, CodingKey {
        case path
        case port
        case host
        case scheme
        case httpHeaders
        case `protocol`
    }
}

extension HTTPGetAction {
    /// Decodes the Kubernetes JSON form; a required field that is absent takes its zero value, so that
    /// validation (not the decoder) reports it the way the API server does.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.path = try c.decodeIfPresent(String.self, forKey: .path)
        self.port = try c.decodeIfPresent(IntOrString.self, forKey: .port) ?? .int(0)
        self.host = try c.decodeIfPresent(String.self, forKey: .host)
        self.scheme = try c.decodeIfPresent(URIScheme.self, forKey: .scheme)
        self.httpHeaders = try c.decodeIfPresent([HTTPHeader].self, forKey: .httpHeaders)
        self.protocol = try c.decodeIfPresent(String.self, forKey: .`protocol`)
    }
}

/// A header of a probe request.
public struct HTTPHeader: Codable, Sendable, Equatable {
    /// Header name.
    public var name: String
    /// Header value.
    public var value: String

    /// Creates a `HTTPHeader`; every optional field defaults to absent.
    public init(name: String = "", value: String = "") {
        self.name = name
        self.value = value
    }

    enum CodingKeys: String, CodingKey {
        case name
        case value
    }
}

extension HTTPHeader {
    /// Decodes the Kubernetes JSON form; a required field that is absent takes its zero value, so that
    /// validation (not the decoder) reports it the way the API server does.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.name = try c.decodeIfPresent(String.self, forKey: .name) ?? ""
        self.value = try c.decodeIfPresent(String.self, forKey: .value) ?? ""
    }
}
