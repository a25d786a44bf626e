/// One HTTP/1.1 GET as `HTTPClient` sends it: on a connection of its own, closed after the response.
public struct HTTPClientRequest: Sendable {
    /// Plain HTTP, or HTTPS without certificate verification.
    public enum Scheme: String, Sendable {
        /// Cleartext HTTP/1.1.
        case http
        /// HTTP/1.1 over TLS; the server's certificate is not verified (kubelet's probes and hooks do not either).
        case https
    }

    /// The scheme.
    public var scheme: Scheme
    /// An IPv4 or IPv6 address (no brackets), or a DNS name resolved with the system's resolver configuration.
    public var host: String
    /// The TCP port.
    public var port: Int
    /// The request target in origin form: a path starting with `/`, optionally with a query.
    public var target: String
    /// Header fields, sent in this order. The client adds `Connection: close` and nothing else, so the caller
    /// provides `Host` and any defaults it wants.
    public var headers: HTTPHeaders

    /// A GET of `target` on `host:port`.
    public init(scheme: Scheme, host: String, port: Int, target: String, headers: HTTPHeaders) {
        self.scheme = scheme
        self.host = host
        self.port = port
        self.target = target
        self.headers = headers
    }

    /// The bytes on the wire, or why the request cannot be sent: a CR, LF or NUL in a field or the target would
    /// let a value inject header lines, and Go's client (kubelet's) refuses such requests too.
    func serialized() throws(HTTPClientError) -> [UInt8] {
        func clean(_ text: String, allowSpace: Bool) -> Bool {
            !text.utf8.contains { $0 == 13 || $0 == 10 || $0 == 0 || (!allowSpace && $0 == 0x20) }
        }
        guard target.hasPrefix("/"), clean(target, allowSpace: false) else {
            throw HTTPClientError(.invalidRequest, "invalid request target \"\(target)\"")
        }
        var text = "GET \(target) HTTP/1.1\r\n"
        for (name, value) in headers {
            guard !name.isEmpty, clean(name, allowSpace: false), !name.contains(":"), clean(value, allowSpace: true) else {
                throw HTTPClientError(.invalidRequest, "invalid header field \"\(name)\"")
            }
            text += "\(name): \(value)\r\n"
        }
        text += "Connection: close\r\n\r\n"
        return Array(text.utf8)
    }
}
