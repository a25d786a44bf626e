import GRPCCore

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
    /// Maps a gRPC status code.
    init(_ code: RPCError.Code) {
        switch code {
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
        case .internalError: self = .internal
        case .unavailable: self = .unavailable
        case .dataLoss: self = .dataLoss
        case .unauthenticated: self = .unauthenticated
        default: self = .unknown
        }
    }
}

extension CRIError {
    /// Converts any error thrown by a gRPC call into a `CRIError` for `method`.
    ///
    /// `RPCError` keeps its code and message. A `RuntimeError` (the client was shut down, or the transport failed)
    /// becomes `.unavailable`, because to the caller the runtime cannot be reached. Task cancellation becomes
    /// `.cancelled`.
    static func from(_ error: any Error, method: String) -> CRIError {
        switch error {
        case let e as CRIError:
            return e
        case let e as RPCError:
            var message = e.message
            if let cause = e.cause { message += " (\(cause))" }
            return CRIError(code: Code(e.code), message: message, method: method)
        case let e as RuntimeError:
            return CRIError(code: .unavailable, message: "gRPC client: \(e.message)", method: method)
        case is CancellationError:
            return CRIError(code: .cancelled, message: "the calling task was cancelled", method: method)
        default:
            return CRIError(code: .unknown, message: String(describing: error), method: method)
        }
    }
}
