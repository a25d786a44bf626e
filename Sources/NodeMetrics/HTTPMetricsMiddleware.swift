import EventHTTP

/// Counts and times every API request for kubelet's `kubelet_http_*` families.
///
/// The `path` label is the matched route pattern (`/pods/{namespace}/{name}`), not the raw path, so the number of
/// series stays bounded by the route table; unmatched requests share the label `other`. Put it first in the
/// middleware list so it also sees requests that authentication rejects.
public struct HTTPMetricsMiddleware: HTTPMiddleware {
    private let metrics: KubeletMetrics
    private let longRunning: @Sendable (String) -> Bool

    /// Creates the middleware; `longRunning` says which patterns stream (watches, logs with follow, exec).
    public init(metrics: KubeletMetrics, longRunning: @escaping @Sendable (String) -> Bool = { _ in false }) {
        self.metrics = metrics
        self.longRunning = longRunning
    }

    /// Records the request around `next`.
    public func handle(_ request: HTTPRequest, context: RouteContext, next: HTTPHandler) async throws -> HTTPResponse {
        let labels = labels(request, context)
        metrics.httpInflight.add(labels, 1)
        let start = ContinuousClock.now
        defer {
            metrics.httpInflight.add(labels, -1)
            record(labels, since: start)
        }
        return try await next(request, context)
    }

    /// Records inline answers (health probes, 401/403/404/405) the same way; when the rest of the chain needs the
    /// async path it records nothing here, because `handle` will.
    public func handleInline(_ request: HTTPRequest, context: RouteContext, next: HTTPInlineNext) throws -> HTTPResponse? {
        let start = ContinuousClock.now
        let labels = labels(request, context)
        let response: HTTPResponse?
        do {
            response = try next(request, context)
        } catch {
            record(labels, since: start)
            throw error
        }
        if response != nil { record(labels, since: start) }
        return response
    }

    private func labels(_ request: HTTPRequest, _ context: RouteContext) -> [String] {
        let path = context.routePattern ?? "other"
        return [request.method.lowercased(), path, "readwrite", longRunning(path) ? "true" : "false"]
    }

    private func record(_ labels: [String], since start: ContinuousClock.Instant) {
        metrics.httpRequests.increment(labels)
        metrics.httpRequestDuration.observe(ContinuousClock.now - start, labels)
    }
}
