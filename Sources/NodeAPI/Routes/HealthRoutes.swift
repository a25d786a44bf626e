import EventHTTP

/// Something `/readyz` waits for, such as the container runtime reporting ready.
public protocol ReadinessCheck: Sendable {
    /// A short name shown in the failure message.
    var name: String { get }
    /// Nil when ready, else why not.
    func notReadyReason() async -> String?
}

/// `/healthz`, `/livez` and `/readyz`: the only routes served without credentials.
///
/// `/healthz` and `/livez` say whether the process serves requests at all; `/readyz` also asks every readiness
/// check, so a load balancer or a workflow controller can wait for the runtime before posting pods.
public struct HealthRoutes: Sendable {
    private let checks: [any ReadinessCheck]

    /// Creates the routes with the checks `/readyz` runs.
    public init(readinessChecks: [any ReadinessCheck]) {
        self.checks = readinessChecks
    }

    /// The route table rows.
    public var routes: [APIRoute] {
        // Liveness is answered on the loop thread: a probe must stay cheap, and answering it there also proves
        // the loop itself is responsive.
        let alive: HTTPInlineHandler = { _, _ in .text("ok") }
        let checks = self.checks
        return [
            APIRoute("GET", "/healthz", access: .publicAccess, inline: alive),
            APIRoute("GET", "/livez", access: .publicAccess, inline: alive),
            APIRoute("GET", "/readyz", access: .publicAccess) { _, _ in
                var failures: [String] = []
                for check in checks {
                    if let reason = await check.notReadyReason() {
                        failures.append("\(check.name): \(reason)")
                    }
                }
                guard failures.isEmpty else {
                    throw HTTPError(
                        status: 503, reason: "ServiceUnavailable",
                        message: "not ready: " + failures.joined(separator: "; ")
                    )
                }
                return .text("ok")
            },
        ]
    }
}
