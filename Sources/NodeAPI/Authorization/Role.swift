/// The built-in roles of Swiftlet's local authorization policy.
///
/// Roles are deliberately few and fixed: a node agent's API surface is small, and a fixed set keeps the policy
/// file readable. Read verbs are `get`, `list` and `watch`; everything else changes the node.
public enum Role: String, Sendable, CaseIterable, Codable {
    /// Everything, including create, delete, exec, attach and port-forward.
    case admin
    /// Reads pods, events, logs, stats, metrics and the machine spec; never changes anything or opens a shell.
    case viewer
    /// Reads stats and metrics only: what a Prometheus scraper needs.
    case metrics

    /// Whether this role permits `verb` on `resource`.
    public func allows(verb: String, resource: String) -> Bool {
        switch self {
        case .admin:
            return true
        case .viewer:
            return Self.readVerbs.contains(verb) && Self.viewerResources.contains(resource)
        case .metrics:
            return Self.readVerbs.contains(verb) && Self.metricsResources.contains(resource)
        }
    }

    static let readVerbs: Set<String> = ["get", "list", "watch"]
    static let metricsResources: Set<String> = ["stats", "metrics"]
    static let viewerResources: Set<String> = ["pods", "pods/status", "pods/log", "events", "stats", "metrics", "spec"]
}
