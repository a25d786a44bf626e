/// An HTTP-level failure. Thrown by handlers and middleware, and produced by the server itself
/// (400, 404, 405 + Allow, 408, 413, 431, 503). Rendered by the server's error renderer (a Kubernetes Status).
public struct HTTPError: Error, Sendable, CustomStringConvertible {
    /// Status code.
    public var status: Int
    /// Machine-readable reason, e.g. "NotFound" (Kubernetes StatusReason).
    public var reason: String
    /// Human-readable message.
    public var message: String
    /// Extra response headers (e.g. Allow, WWW-Authenticate).
    public var headers: HTTPHeaders
    /// Merged into the access-log line when this error becomes the response (e.g. "user" from authentication).
    public var logAttributes: [String: String] = [:]

    /// An error from its parts.
    public init(status: Int, reason: String, message: String, headers: HTTPHeaders = HTTPHeaders()) {
        self.status = status
        self.reason = reason
        self.message = message
        self.headers = headers
    }

    /// Human-readable description.
    public var description: String { "HTTP \(status) \(reason): \(message)" }

    /// 400 BadRequest.
    public static func badRequest(_ message: String) -> HTTPError {
        HTTPError(status: 400, reason: "BadRequest", message: message)
    }
    /// 401 Unauthorized.
    public static func unauthorized(_ message: String = "Unauthorized") -> HTTPError {
        HTTPError(status: 401, reason: "Unauthorized", message: message)
    }
    /// 403 Forbidden.
    public static func forbidden(_ message: String) -> HTTPError {
        HTTPError(status: 403, reason: "Forbidden", message: message)
    }
    /// 404 NotFound.
    public static func notFound(_ message: String = "the server could not find the requested resource") -> HTTPError {
        HTTPError(status: 404, reason: "NotFound", message: message)
    }
    /// 405 MethodNotAllowed with an Allow header listing the methods that exist for the path.
    public static func methodNotAllowed(allow: [String], method: String = "") -> HTTPError {
        let text = method.isEmpty ? "the server does not allow this method on the requested resource"
            : "the server does not allow method \(method) on the requested resource"
        return HTTPError(status: 405, reason: "MethodNotAllowed", message: text,
                         headers: HTTPHeaders([("Allow", allow.joined(separator: ", "))]))
    }
    /// 408 Timeout (request not received in time).
    public static func requestTimeout(_ message: String) -> HTTPError {
        HTTPError(status: 408, reason: "Timeout", message: message)
    }
    /// 409 Conflict.
    public static func conflict(_ message: String) -> HTTPError {
        HTTPError(status: 409, reason: "Conflict", message: message)
    }
    /// 413 RequestEntityTooLarge.
    public static func payloadTooLarge(_ message: String) -> HTTPError {
        HTTPError(status: 413, reason: "RequestEntityTooLarge", message: message)
    }
    /// 431 RequestHeaderFieldsTooLarge.
    public static func headersTooLarge(_ message: String) -> HTTPError {
        HTTPError(status: 431, reason: "RequestHeaderFieldsTooLarge", message: message)
    }
    /// 500 InternalError.
    public static func internalError(_ message: String) -> HTTPError {
        HTTPError(status: 500, reason: "InternalError", message: message)
    }
    /// 503 ServiceUnavailable.
    public static func serviceUnavailable(_ message: String) -> HTTPError {
        HTTPError(status: 503, reason: "ServiceUnavailable", message: message)
    }
}
