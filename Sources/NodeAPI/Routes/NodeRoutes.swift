import NodeAgent

/// Every route the node serves, as one table: the router, the authorization middleware and the OpenAPI test all
/// read this list, so none of them can drift from the others.
public enum NodeRoutes {
    /// The full route table, given what the handlers need.
    public static func all(_ services: NodeServices) -> [APIRoute] {
        // Appended one group at a time: a single long `+` chain of arrays is slow for the type checker.
        var routes = HealthRoutes(readinessChecks: services.readiness).routes
        routes += PodRoutes(pods: services.pods).routes
        routes += LogRoutes(containers: services.containers, runtime: services.containerRuntime).routes
        routes += ExecRoutes(containers: services.containers, runtime: services.containerRuntime,
                             upgradeHandler: services.execUpgrade).routes
        routes += ObservabilityRoutes(services: services.observability).routes
        routes += StreamRoutes(pods: services.pods, containers: services.containers, runtime: services.containerRuntime,
                               streaming: services.streaming).routes
        return routes
    }
}
