/// What routing learned about a request, passed to middleware and handlers.
public struct RouteContext: Sendable {
    /// Path parameters, e.g. from "/pods/{namespace}/{name}".
    public var parameters: [String: String]
    /// The matched pattern; nil when no route matched (middleware still runs, so authentication answers
    /// 401 before routing answers 404).
    public var routePattern: String?

    /// A context from its parts.
    public init(parameters: [String: String] = [:], routePattern: String? = nil) {
        self.parameters = parameters
        self.routePattern = routePattern
    }

    /// The named path parameter; throws HTTPError 400 when missing or empty.
    public func parameter(_ name: String) throws -> String {
        guard let value = parameters[name], !value.isEmpty else {
            throw HTTPError.badRequest("missing path parameter \"\(name)\"")
        }
        return value
    }
}

/// An async request handler.
public typealias HTTPHandler = @Sendable (HTTPRequest, RouteContext) async throws -> HTTPResponse

/// A handler that answers on the event-loop thread itself, with no hand-off to a task and back. Only for answers
/// that are cheap and never wait (health probes, fixed texts): while it runs, no other connection is served.
public typealias HTTPInlineHandler = @Sendable (HTTPRequest, RouteContext) throws -> HTTPResponse

/// The rest of an inline chain, as a middleware sees it: nil means "this request needs the async path".
public typealias HTTPInlineNext = (HTTPRequest, RouteContext) throws -> HTTPResponse?

/// Code that wraps every request (authentication, authorization, …). The first middleware in the server's list is
/// the outermost.
public protocol HTTPMiddleware: Sendable {
    /// Handles the request, usually by calling `next` (the remaining middleware and then the route).
    func handle(_ request: HTTPRequest, context: RouteContext, next: HTTPHandler) async throws -> HTTPResponse

    /// The same decision on the event-loop thread, for routes with an inline handler and for routing errors.
    /// Return nil (the default) when this middleware cannot decide without waiting; the request then takes the
    /// async path through `handle`. Must not block.
    func handleInline(_ request: HTTPRequest, context: RouteContext, next: HTTPInlineNext) throws -> HTTPResponse?
}

extension HTTPMiddleware {
    /// Middleware that does not implement the inline path sends every request down the async path.
    public func handleInline(_ request: HTTPRequest, context: RouteContext, next: HTTPInlineNext) throws -> HTTPResponse? {
        nil
    }
}

/// A routing table: method + pattern → handler. Patterns are "/"-separated; a segment "{name}" captures one
/// non-empty segment. Literal segments beat parameter segments. Unknown path → 404; known path with another
/// method → 405 with Allow.
public struct Router: Sendable {
    struct Route: Sendable {
        var method: String
        var pattern: String
        var segments: [Segment]
        var handler: HTTPHandler
        var inline: HTTPInlineHandler?
    }

    enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)
    }

    /// Outcome of matching.
    enum Match {
        case found(HTTPHandler, HTTPInlineHandler?, RouteContext)
        case notFound
        case methodNotAllowed([String])
    }

    private var table: [Route] = []
    /// Indices into `table` of the routes whose first segment is this literal; a request is matched only against
    /// these and `parameterFirst`, so the cost of a match does not grow with the size of the API.
    private var byFirstLiteral: [String: [Int]] = [:]
    /// Indices of the routes whose first segment is a parameter.
    private var parameterFirst: [Int] = []

    /// An empty router.
    public init() {}

    /// Adds a route. A second route with the same method and pattern replaces the first.
    public mutating func add(_ method: String, _ pattern: String, _ handler: @escaping HTTPHandler) {
        insert(Route(method: method.uppercased(), pattern: pattern, segments: Self.segments(of: pattern),
                     handler: handler, inline: nil))
    }

    /// Adds a route answered on the event-loop thread (see `HTTPInlineHandler`). Requests whose middleware cannot
    /// decide inline still reach it, through the async path.
    public mutating func add(_ method: String, _ pattern: String, inline: @escaping HTTPInlineHandler) {
        insert(Route(method: method.uppercased(), pattern: pattern, segments: Self.segments(of: pattern),
                     handler: { request, context in try inline(request, context) }, inline: inline))
    }

    private mutating func insert(_ route: Route) {
        defer { reindex() }
        let method = route.method
        let pattern = route.pattern
        if let i = table.firstIndex(where: { $0.method == method && $0.pattern == pattern }) {
            table[i] = route
        } else {
            table.append(route)
        }
    }

    /// Adds a GET route.
    public mutating func get(_ pattern: String, _ h: @escaping HTTPHandler) { add("GET", pattern, h) }
    /// Adds a POST route.
    public mutating func post(_ pattern: String, _ h: @escaping HTTPHandler) { add("POST", pattern, h) }
    /// Adds a PUT route.
    public mutating func put(_ pattern: String, _ h: @escaping HTTPHandler) { add("PUT", pattern, h) }
    /// Adds a DELETE route.
    public mutating func delete(_ pattern: String, _ h: @escaping HTTPHandler) { add("DELETE", pattern, h) }
    /// Adds a PATCH route.
    public mutating func patch(_ pattern: String, _ h: @escaping HTTPHandler) { add("PATCH", pattern, h) }

    private mutating func reindex() {
        byFirstLiteral = [:]
        parameterFirst = []
        for (index, route) in table.enumerated() {
            if case .literal(let first)? = route.segments.first {
                byFirstLiteral[first, default: []].append(index)
            } else {
                parameterFirst.append(index)
            }
        }
    }

    /// The routes that can bind `parts`, in insertion order.
    private func candidates(_ parts: [Substring]) -> [Int] {
        let literal = parts.first.flatMap { byFirstLiteral[String($0)] } ?? []
        if parameterFirst.isEmpty { return literal }
        return (literal + parameterFirst).sorted()
    }

    /// Every (method, pattern), in insertion order (for the OpenAPI-vs-router test).
    public var routes: [(method: String, pattern: String)] { table.map { (method: $0.method, pattern: $0.pattern) } }

    /// Finds the route for a method and decoded path. HEAD falls back to GET.
    func match(method: String, path: String) -> Match {
        let parts = Self.pathSegments(path)
        // Best = most literal segments, compared left to right (a literal at position i beats a parameter there).
        var best: (route: Route, params: [String: String], score: [Bool])?
        var allowed: [String] = []
        var pathMatched = false
        for index in candidates(parts) {
            let route = table[index]
            guard let params = Self.bind(route.segments, to: parts) else { continue }
            pathMatched = true
            let methodOK = route.method == method || (method == "HEAD" && route.method == "GET")
            if !allowed.contains(route.method) { allowed.append(route.method) }
            guard methodOK else { continue }
            let score = route.segments.map { if case .literal = $0 { return true } else { return false } }
            if let current = best, !Self.better(score, than: current.score) {
                if score == current.score && route.method == method && current.route.method != method {
                    best = (route, params, score)
                }
                continue
            }
            best = (route, params, score)
        }
        if let best {
            return .found(best.route.handler, best.route.inline, RouteContext(parameters: best.params, routePattern: best.route.pattern))
        }
        if pathMatched {
            if allowed.contains("GET") && !allowed.contains("HEAD") { allowed.append("HEAD") }
            return .methodNotAllowed(allowed)
        }
        return .notFound
    }

    private static func better(_ a: [Bool], than b: [Bool]) -> Bool {
        for (x, y) in zip(a, b) where x != y { return x }
        return false
    }

    private static func bind(_ segments: [Segment], to parts: [Substring]) -> [String: String]? {
        guard segments.count == parts.count else { return nil }
        var params: [String: String] = [:]
        for (segment, part) in zip(segments, parts) {
            switch segment {
            case .literal(let s): if s != part { return nil }
            case .parameter(let name):
                if part.isEmpty { return nil }
                params[name] = String(part)
            }
        }
        return params
    }

    static func segments(of pattern: String) -> [Segment] {
        pathSegments(pattern).map { part in
            if part.hasPrefix("{") && part.hasSuffix("}") && part.count > 2 {
                return .parameter(String(part.dropFirst().dropLast()))
            }
            return .literal(String(part))
        }
    }

    /// "/a/b/" → ["a", "b", ""]; "/" → [""]. A trailing slash is significant, as in kubelet's mux.
    private static func pathSegments<S: StringProtocol>(_ path: S) -> [Substring] {
        let p = Substring(path)
        let trimmed = p.hasPrefix("/") ? p.dropFirst() : p
        return trimmed.split(separator: "/", omittingEmptySubsequences: false)
    }
}
