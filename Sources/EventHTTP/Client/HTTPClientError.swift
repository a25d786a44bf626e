/// Why an `HTTPClient` exchange produced no response. `message` follows Go's wording where kubelet's messages
/// quote it ("connect: connection refused").
public struct HTTPClientError: Error, Sendable, CustomStringConvertible {
    /// What failed.
    public enum Kind: Sendable, Equatable {
        /// The request could not be sent as given (a header with a line break).
        case invalidRequest
        /// The host name did not resolve.
        case resolve
        /// The TCP connection was not established.
        case connect
        /// The TLS handshake failed.
        case tls
        /// The deadline passed before the response was complete.
        case timeout
        /// The connection failed or closed before the response was complete.
        case connectionLost
        /// The response is not HTTP/1.x as RFC 9112 writes it.
        case malformedResponse
        /// The calling task was cancelled.
        case cancelled
        /// The client is shut down or could not start its thread.
        case unavailable
    }

    /// What failed.
    public var kind: Kind
    /// The reason, without the request (callers prefix `Get "url": ` or `dial tcp addr: ` as kubelet does).
    public var message: String

    /// An error of `kind`.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
