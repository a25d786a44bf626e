/// What a route needs from the authorizer.
public enum RouteAccess: Sendable, Equatable {
    /// Served to anyone, authenticated or not (health probes).
    case publicAccess
    /// Needs an authenticated user allowed `verb` on `resource`; a nil verb means "derive it from the method".
    case resource(String, verb: String? = nil)

    /// The verb for `method` as kubelet maps it: GET→get, POST→create, PUT→update, PATCH→patch, DELETE→delete.
    public static func verb(forMethod method: String) -> String {
        switch method {
        case "GET", "HEAD": return "get"
        case "POST": return "create"
        case "PUT": return "update"
        case "PATCH": return "patch"
        case "DELETE": return "delete"
        default: return method.lowercased()
        }
    }
}
