import EventHTTP

/// Why an interactive stream could not be started (before the user's upgrade is answered).
public enum StreamingError: Error, Sendable, CustomStringConvertible {
    /// A concurrency bound is reached (HTTP 429).
    case tooManyStreams(StreamLimiter.Refusal)
    /// The request asks for something that cannot be served (HTTP 400).
    case invalidRequest(String)
    /// The runtime refused to prepare the session or its stream server failed (HTTP 500); carries the cause.
    case runtime(String)

    /// Human-readable description.
    public var description: String {
        switch self {
        case .tooManyStreams(let refusal): return refusal.description
        case .invalidRequest(let message): return message
        case .runtime(let message): return message
        }
    }
}

extension StreamingError {
    /// The HTTP answer for this error: 429 `TooManyRequests`, 400 `BadRequest` or 500 `InternalError`.
    public var httpError: HTTPError {
        switch self {
        case .tooManyStreams: return HTTPError(status: 429, reason: "TooManyRequests", message: description)
        case .invalidRequest: return .badRequest(description)
        case .runtime: return .internalError(description)
        }
    }
}
