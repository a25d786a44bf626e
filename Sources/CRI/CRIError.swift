/// An error from a CRI call. It keeps the gRPC status code and message the runtime sent, and names the method.
public struct CRIError: Error, Sendable, CustomStringConvertible {
    /// The gRPC status codes, as a Swift enum so callers can `switch` over them.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// The call was cancelled, usually because the calling task was cancelled.
        case cancelled
        /// The runtime failed for an unspecified reason (containerd uses this for most runc failures).
        case unknown
        /// The request was malformed.
        case invalidArgument
        /// The call did not finish before its deadline.
        case deadlineExceeded
        /// The object (sandbox, container, image) does not exist.
        case notFound
        /// The object already exists (for example a name + attempt that is still reserved).
        case alreadyExists
        /// The caller lacks permission.
        case permissionDenied
        /// A resource (memory, disk, message size) ran out.
        case resourceExhausted
        /// The object is not in a state that allows the operation.
        case failedPrecondition
        /// The operation was aborted.
        case aborted
        /// A value was out of range.
        case outOfRange
        /// The runtime does not implement this method (containerd 1.6 lacks several newer ones).
        case unimplemented
        /// An internal error in the runtime or in the gRPC stack.
        case `internal`
        /// The runtime cannot be reached (socket missing, connection refused or dropped).
        case unavailable
        /// Data was lost.
        case dataLoss
        /// The caller is not authenticated.
        case unauthenticated
    }

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
    public var description: String { "CRI \(method) failed: \(code.rawValue): \(message)" }
}

extension CRIError.Code {
    /// Maps a gRPC status code (`ok` never reaches here: a call that succeeded has no error).
    init(_ code: GRPCStatusCode) {
        switch code {
        case .ok, .unknown: self = .unknown
        case .cancelled: self = .cancelled
        case .invalidArgument: self = .invalidArgument
        case .deadlineExceeded: self = .deadlineExceeded
        case .notFound: self = .notFound
        case .alreadyExists: self = .alreadyExists
        case .permissionDenied: self = .permissionDenied
        case .resourceExhausted: self = .resourceExhausted
        case .failedPrecondition: self = .failedPrecondition
        case .aborted: self = .aborted
        case .outOfRange: self = .outOfRange
        case .unimplemented: self = .unimplemented
        case .internal: self = .internal
        case .unavailable: self = .unavailable
        case .dataLoss: self = .dataLoss
        case .unauthenticated: self = .unauthenticated
        }
    }
}

extension CRIError {
    /// The failure of a gRPC call of `method`, with the status code and message the runtime (or the client) gave.
    init(_ error: GRPCCallError, method: String) {
        self.init(code: Code(error.code), message: error.message, method: method)
    }
}
