/// Why a gRPC call failed: the status code and message the server sent, or what the client saw.
public struct GRPCCallError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The status code.
    public var code: GRPCStatusCode
    /// The server's `grpc-message` (percent-decoded), or the client's description of the failure.
    public var message: String
    /// True when the request was certainly not processed by the server (never sent, or above a GOAWAY's
    /// last stream id), so the client may send it again on a new connection, even when it is not idempotent.
    var transparentRetry = false

    /// Creates an error.
    public init(code: GRPCStatusCode, message: String) {
        self.code = code
        self.message = message
    }

    init(code: GRPCStatusCode, message: String, transparentRetry: Bool) {
        self.code = code
        self.message = message
        self.transparentRetry = transparentRetry
    }

    /// `code: message`.
    public var description: String { "\(code): \(message)" }
}

extension GRPCCallError {
    /// The same error, marked as safe to send again on a new connection (the request was never sent).
    func retryable() -> GRPCCallError {
        var copy = self
        copy.transparentRetry = true
        return copy
    }
}
