import EventHTTP

/// One row of the API's route table: method, path pattern, who may call it, and the handler.
public struct APIRoute: Sendable {
    /// The HTTP method, uppercase.
    public var method: String
    /// The path pattern with `{param}` segments, as the router and the OpenAPI spec write it.
    public var pattern: String
    /// What the caller needs.
    public var access: RouteAccess
    /// The handler.
    public var handler: HTTPHandler
    /// Set for routes answered on the event-loop thread (cheap, never waiting); `handler` then wraps it.
    public var inlineHandler: HTTPInlineHandler?

    /// Creates a route.
    public init(_ method: String, _ pattern: String, access: RouteAccess, handler: @escaping HTTPHandler) {
        self.method = method
        self.pattern = pattern
        self.access = access
        self.handler = handler
        self.inlineHandler = nil
    }

    /// Creates a route answered on the event-loop thread: for fixed, cheap answers only (see `HTTPInlineHandler`).
    public init(_ method: String, _ pattern: String, access: RouteAccess, inline: @escaping HTTPInlineHandler) {
        self.method = method
        self.pattern = pattern
        self.access = access
        self.handler = { request, context in try inline(request, context) }
        self.inlineHandler = inline
    }
}

/// The route table, indexed for the authorization middleware.
public struct RouteTable: Sendable {
    /// The routes in registration order.
    public let routes: [APIRoute]
    private let accessByRoute: [String: RouteAccess]

    /// Builds the table; a duplicate method and pattern is a programming error and traps at startup.
    public init(_ routes: [APIRoute]) {
        var index: [String: RouteAccess] = [:]
        for route in routes {
            let key = Self.key(route.method, route.pattern)
            precondition(index[key] == nil, "route registered twice: \(key)")
            index[key] = route.access
        }
        self.routes = routes
        self.accessByRoute = index
    }

    /// The access rule of the route `pattern` for `method`, or nil when no such route exists.
    public func access(method: String, pattern: String?) -> RouteAccess? {
        guard let pattern else { return nil }
        return accessByRoute[Self.key(method == "HEAD" ? "GET" : method, pattern)]
    }

    /// A router serving every route of the table.
    public func makeRouter() -> Router {
        var router = Router()
        for route in routes {
            if let inline = route.inlineHandler {
                router.add(route.method, route.pattern, inline: inline)
            } else {
                router.add(route.method, route.pattern, route.handler)
            }
        }
        return router
    }

    private static func key(_ method: String, _ pattern: String) -> String {
        "\(method) \(pattern)"
    }
}
