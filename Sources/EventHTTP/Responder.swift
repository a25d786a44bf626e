import Logging

/// The Swift-concurrency side of request handling: runs middleware and the matched route, turns thrown errors
/// into rendered responses. Immutable and Sendable, so any task can use it.
struct Responder: Sendable {
    let router: Router
    let middleware: [any HTTPMiddleware]
    let errorRenderer: @Sendable (HTTPError) -> HTTPResponse
    let logger: Logger

    func respond(to request: HTTPRequest) async -> HTTPResponse {
        let match = router.match(method: request.method, path: request.path)
        var context = RouteContext()
        let terminal: HTTPHandler
        switch match {
        case .found(let handler, _, let ctx):
            context = ctx
            terminal = handler
        case .notFound:
            terminal = { _, _ in throw HTTPError.notFound() }
        case .methodNotAllowed(let allow):
            let method = request.method
            terminal = { _, _ in throw HTTPError.methodNotAllowed(allow: allow, method: method) }
        }
        let chain = middleware.reversed().reduce(terminal) { next, mw -> HTTPHandler in
            { req, ctx in try await mw.handle(req, context: ctx, next: next) }
        }
        do {
            return try await chain(request, context)
        } catch let error as HTTPError {
            return render(error)
        } catch is HTTPClientGone {
            return render(HTTPError(status: 499, reason: "ClientClosedRequest", message: "client disconnected"))
        } catch {
            logger.error("handler failed", metadata: ["path": "\(request.path)", "error": "\(error)"])
            return render(.internalError("internal error"))
        }
    }

    /// Loop thread: the response when the matched route and every middleware can answer without waiting (an
    /// inline route, or a routing error such as 404 or 405); nil sends the request down the async path.
    func respondInline(to request: HTTPRequest) -> HTTPResponse? {
        var context = RouteContext()
        let terminal: HTTPInlineNext
        switch router.match(method: request.method, path: request.path) {
        case .found(_, let inline, let ctx):
            guard let inline else { return nil }
            context = ctx
            terminal = { request, context in try inline(request, context) }
        case .notFound:
            terminal = { _, _ in throw HTTPError.notFound() }
        case .methodNotAllowed(let allow):
            let method = request.method
            terminal = { _, _ in throw HTTPError.methodNotAllowed(allow: allow, method: method) }
        }
        var chain = terminal
        for mw in middleware.reversed() {
            let next = chain
            chain = { request, context in try mw.handleInline(request, context: context, next: next) }
        }
        do {
            return try chain(request, context)
        } catch let error as HTTPError {
            return render(error)
        } catch {
            // Anything else deserves the async path's logging and rendering.
            return nil
        }
    }

    func render(_ error: HTTPError) -> HTTPResponse {
        var response = errorRenderer(error)
        for (k, v) in error.logAttributes where response.logAttributes[k] == nil { response.logAttributes[k] = v }
        return response
    }
}
