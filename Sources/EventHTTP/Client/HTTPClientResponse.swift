/// The response to an `HTTPClientRequest`: its status, header fields and the first bytes of its body.
public struct HTTPClientResponse: Sendable {
    /// The status code of the final response (interim 1xx responses are skipped).
    public var status: Int
    /// Header fields in the order received.
    public var headers: HTTPHeaders
    /// At most the requested number of body bytes, transfer coding removed.
    public var body: [UInt8]
    /// True when the body was longer than `body`; the rest was not read.
    public var bodyTruncated: Bool
}
