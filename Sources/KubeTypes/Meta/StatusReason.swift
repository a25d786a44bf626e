/// The `reason` values of `Status` that Swiftlet produces, as apimachinery names them.
public enum StatusReason {
    /// 404.
    public static let notFound = "NotFound"
    /// 409, create of an existing name.
    public static let alreadyExists = "AlreadyExists"
    /// 422, validation failed.
    public static let invalid = "Invalid"
    /// 400.
    public static let badRequest = "BadRequest"
    /// 403.
    public static let forbidden = "Forbidden"
    /// 409, a precondition or resource version did not match.
    public static let conflict = "Conflict"
    /// 410, a watch or list resource version is too old.
    public static let expired = "Expired"
    /// 410, the resource is gone.
    public static let gone = "Gone"
    /// 405.
    public static let methodNotAllowed = "MethodNotAllowed"
    /// 401.
    public static let unauthorized = "Unauthorized"
    /// 500.
    public static let internalError = "InternalError"
    /// 503.
    public static let serviceUnavailable = "ServiceUnavailable"
    /// 504.
    public static let timeout = "Timeout"
    /// 500, the server could not complete the operation in time.
    public static let serverTimeout = "ServerTimeout"
    /// 429.
    public static let tooManyRequests = "TooManyRequests"
    /// 413.
    public static let requestEntityTooLarge = "RequestEntityTooLarge"
}
