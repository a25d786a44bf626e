import EventHTTP

/// Authenticates every request and authorizes it against the route table and the policy.
///
/// It runs before routing errors are produced, so an anonymous request to a path that does not exist gets 401,
/// not 404: unauthenticated callers learn nothing about the API's shape.
public struct AuthMiddleware: HTTPMiddleware {
    private let authenticator: RequestAuthenticator
    private let policy: AuthorizationPolicy
    private let table: RouteTable
    private let nodeName: String

    /// Creates the middleware for a node named `nodeName` (used in 403 messages).
    public init(authenticator: RequestAuthenticator, policy: AuthorizationPolicy, table: RouteTable, nodeName: String) {
        self.authenticator = authenticator
        self.policy = policy
        self.table = table
        self.nodeName = nodeName
    }

    /// Authenticates, authorizes, then calls `next`, recording the user in the access log.
    public func handle(_ request: HTTPRequest, context: RouteContext, next: HTTPHandler) async throws -> HTTPResponse {
        guard let user = try authorize(request, context: context) else {
            return try await next(request, context)
        }
        var response = try await next(request, context)
        response.logAttributes["user"] = user.name
        return response
    }

    /// The same checks on the event-loop thread: authentication and authorization never wait, so a 401 or 403
    /// (and a public health probe) is answered without a task.
    public func handleInline(_ request: HTTPRequest, context: RouteContext, next: HTTPInlineNext) throws -> HTTPResponse? {
        guard let user = try authorize(request, context: context) else {
            return try next(request, context)
        }
        guard var response = try next(request, context) else { return nil }
        response.logAttributes["user"] = user.name
        return response
    }

    /// The authenticated user allowed to call the route, or nil for a public route; throws 401 or 403.
    private func authorize(_ request: HTTPRequest, context: RouteContext) throws -> UserInfo? {
        let access = table.access(method: request.method, pattern: context.routePattern)
        if access == .publicAccess { return nil }
        let user: UserInfo
        switch authenticator.authenticate(request) {
        case .anonymous, .rejected:
            throw HTTPError(status: 401, reason: "Unauthorized", message: "Unauthorized")
        case let .authenticated(authenticated):
            user = authenticated
        }
        if case let .resource(resource, fixedVerb) = access {
            let verb = fixedVerb ?? RouteAccess.verb(forMethod: request.method)
            guard policy.allows(user, verb: verb, resource: resource) else {
                throw HTTPError(
                    status: 403, reason: "Forbidden",
                    message: "user \"\(user.name)\" cannot \(verb) resource \"\(resource)\" on node \"\(nodeName)\""
                )
            }
        }
        return user
    }
}
