/// A gRPC status code (grpc/doc/statuscodes.md), with the wire number as its raw value.
public enum GRPCStatusCode: Int, Sendable, Hashable, CaseIterable {
    /// Success.
    case ok = 0
    /// The call was cancelled, usually by the caller.
    case cancelled = 1
    /// An error with no better code.
    case unknown = 2
    /// The request was malformed.
    case invalidArgument = 3
    /// The deadline passed before the call finished.
    case deadlineExceeded = 4
    /// The object does not exist.
    case notFound = 5
    /// The object already exists.
    case alreadyExists = 6
    /// The caller lacks permission.
    case permissionDenied = 7
    /// A resource (quota, message size) ran out.
    case resourceExhausted = 8
    /// The system is not in a state that allows the operation.
    case failedPrecondition = 9
    /// The operation was aborted.
    case aborted = 10
    /// A value was out of range.
    case outOfRange = 11
    /// The server does not implement the method.
    case unimplemented = 12
    /// An internal error (in the server or in the protocol).
    case `internal` = 13
    /// The server cannot be reached or the connection dropped.
    case unavailable = 14
    /// Data was lost.
    case dataLoss = 15
    /// The caller is not authenticated.
    case unauthenticated = 16

    /// The code a `grpc-status` value names; an unknown or unparsable value is `unknown`, as the spec says.
    init(grpcStatus value: String) {
        self = Int(value).flatMap(GRPCStatusCode.init(rawValue:)) ?? .unknown
    }

    /// The code for a response whose HTTP `:status` is not 200 and that carries no `grpc-status`
    /// (grpc/doc/http-grpc-status-mapping.md).
    init(httpStatus: Int) {
        switch httpStatus {
        case 400: self = .internal
        case 401: self = .unauthenticated
        case 403: self = .permissionDenied
        case 404: self = .unimplemented
        case 429, 502, 503, 504: self = .unavailable
        default: self = .unknown
        }
    }

    /// The code for a stream the server reset (the gRPC HTTP/2 spec's RST_STREAM table).
    init(resetBy error: HTTP2ErrorCode) {
        switch error {
        case .refusedStream: self = .unavailable
        case .cancel: self = .cancelled
        case .enhanceYourCalm: self = .resourceExhausted
        case .inadequateSecurity: self = .permissionDenied
        default: self = .internal
        }
    }
}
