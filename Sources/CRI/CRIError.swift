/// An error from a CRI call. It keeps the gRPC status code and message the runtime sent, and names the method.
public struct CRIError: Error, Sendable, CustomStringConvertible {
    /// The gRPC status code (never `ok`: a call that succeeded has no error).
    public typealias Code = GRPCStatusCode

    /// The gRPC status code.
    public var code: Code
    /// The message as the runtime (or the gRPC stack) sent it.
    public var message: String
    /// The CRI method that failed, for example `RuntimeService/RunPodSandbox`.
    public var method: String

    /// Creates an error.
    public init(code: Code, message: String, method: String) {
        self.code = code
        self.message = message
        self.method = method
    }

    /// True when the object the call named does not exist.
    public var isNotFound: Bool { code == .notFound }

    /// True when the failure says nothing about whether the runtime carried the call out: the connection dropped
    /// or the deadline passed after the request may have been sent.
    public var isAmbiguous: Bool { code == .unavailable || code == .deadlineExceeded }

    /// `"CRI <method> failed: <code>: <message>"`.
    public var description: String { "CRI \(method) failed: \(code): \(message)" }
}

extension CRIError {
    /// The failure of a gRPC call of `method`, with the status code and message the runtime (or the client) gave.
    init(_ error: GRPCCallError, method: String) {
        self.init(code: error.code, message: error.message, method: method)
    }
}
