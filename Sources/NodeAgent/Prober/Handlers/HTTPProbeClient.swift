import EventHTTP

/// One HTTP GET as kubelet's probes and lifecycle hooks send it.
struct HTTPProbeRequest: Sendable, Equatable {
    /// `http` or `https`.
    var scheme: String
    var host: String
    var port: Int
    /// Starts with `/`; may carry a query.
    var path: String
    /// Sent in this order; `Host`, `User-Agent` and `Accept` given here replace the defaults.
    var headers: [(name: String, value: String)]

    static func == (lhs: HTTPProbeRequest, rhs: HTTPProbeRequest) -> Bool {
        lhs.scheme == rhs.scheme && lhs.host == rhs.host && lhs.port == rhs.port && lhs.path == rhs.path
            && lhs.headers.map(\.name) == rhs.headers.map(\.name) && lhs.headers.map(\.value) == rhs.headers.map(\.value)
    }

    /// `scheme://host:port/path`, with IPv6 hosts in brackets: the text kubelet puts in its messages.
    var url: String { "\(scheme)://\(hostForURL):\(port)\(path)" }

    var hostForURL: String { host.contains(":") ? "[\(host)]" : host }
}

/// The start of a response and at most `HTTPProbeClient.maxBodyBytes` of its body.
struct HTTPProbeResponse: Sendable, Equatable {
    var status: Int
    var location: String?
    var body: [UInt8]
    var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// Why a probe request got no response.
struct HTTPProbeError: Error, Sendable, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// kubelet's probe and hook HTTP requests over the agent's `HTTPClient` (EventHTTP): one connection per request
/// (kubelet disables keep-alive for probes too), HTTPS without certificate verification (kubelet's probes do not
/// verify either), a deadline over connect + request + response, and at most 10 KiB of body read.
struct HTTPProbeClient: Sendable {
    /// kubelet reads at most 10 KiB of a probe's response body.
    static let maxBodyBytes = 10 * 1024

    /// The shared client whose loop thread carries every probe and hook of the agent.
    let client: HTTPClient

    /// Sends `request` and returns the response; throws `HTTPProbeError` when there is none within `timeout`.
    func get(_ request: HTTPProbeRequest, timeout: Duration) async throws(HTTPProbeError) -> HTTPProbeResponse {
        do {
            return Self.response(try await client.get(Self.outgoing(request), timeout: timeout, maxBodyBytes: Self.maxBodyBytes))
        } catch {
            throw Self.error(error, request: request, timeout: timeout)
        }
    }

    /// The client's request for a probe request.
    static func outgoing(_ request: HTTPProbeRequest) -> HTTPClientRequest {
        HTTPClientRequest(
            scheme: request.scheme == "https" ? .https : .http, host: request.host, port: request.port,
            target: request.path, headers: headers(request))
    }

    /// The parts of a response probes and hooks look at.
    static func response(_ response: HTTPClientResponse) -> HTTPProbeResponse {
        HTTPProbeResponse(status: response.status, location: response.headers["Location"], body: response.body)
    }

    /// A client error in kubelet's words, for `request`.
    static func error(_ error: HTTPClientError, request: HTTPProbeRequest, timeout: Duration) -> HTTPProbeError {
        HTTPProbeError(message: message(error, address: "\(request.hostForURL):\(request.port)", timeout: timeout))
    }

    /// Opens and at once closes a TCP connection (kubelet's tcpSocket probe).
    func connect(host: String, port: Int, timeout: Duration) async throws(HTTPProbeError) {
        do {
            try await client.connect(host: host, port: port, timeout: timeout)
        } catch {
            throw HTTPProbeError(message: Self.message(error, address: Self.address(host, port), timeout: timeout))
        }
    }

    /// `host:port`, with an IPv6 host in brackets.
    static func address(_ host: String, _ port: Int) -> String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// The request's fields: `Host` (unless the spec set one), the spec's and the builder's, `Connection: close`
    /// (added by the client).
    static func headers(_ request: HTTPProbeRequest) -> HTTPHeaders {
        var headers = HTTPHeaders()
        let given = Set(request.headers.map { $0.name.lowercased() })
        if !given.contains("host") { headers.add("Host", "\(request.hostForURL):\(request.port)") }
        for header in request.headers { headers.add(header.name, header.value) }
        return headers
    }

    /// Go's wording, which kubelet's probe messages quote: `dial tcp <addr>: connect: connection refused`.
    static func message(_ error: HTTPClientError, address: String, timeout: Duration) -> String {
        switch error.kind {
        case .connect: return "dial tcp \(address): \(error.message)"
        case .resolve: return "dial tcp: \(error.message)"
        case .timeout: return "timeout after \(timeout.goString) awaiting the response (Client.Timeout exceeded)"
        default: return error.message
        }
    }
}
