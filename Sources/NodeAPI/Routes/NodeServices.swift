import CRI
import NodeAgent
import StreamBridge

/// What the route handlers need from the rest of the node, gathered in one value so that adding a service does not
/// change every caller of `NodeRoutes.all`.
///
/// Services other than pods are optional so that a node can be assembled in parts (tests that exercise only the pod
/// API, for example). Their routes are always in the table; a route whose service is absent answers 503
/// `ServiceUnavailable`, which the executable never does because it wires every service.
public struct NodeServices: Sendable {
    /// Checks that `/readyz` runs.
    public var readiness: [any ReadinessCheck]
    /// The pod API: accept, list, watch, delete.
    public var pods: PodService
    /// Finds the runtime container behind log, exec and attach requests.
    public var containers: (any ContainerLocating)?
    /// The container runtime: one-shot exec (`ExecSync`) and the end of a followed log (`ContainerStatus`).
    public var containerRuntime: (any ContainerRuntime)?
    /// Serves `POST /exec/...` requests that carry `Upgrade: websocket` (interactive exec); without it they get 400.
    public var execUpgrade: ExecUpgradeHandler?

    /// Stats, metrics, `/spec` and `/configz`.
    public var observability: NodeObservability?
    /// Interactive exec, attach and port-forward over WebSocket (`StreamRoutes`).
    public var streaming: StreamingService?

    /// A node with the pod API and the given readiness checks; other services are added by setting their fields.
    public init(readiness: [any ReadinessCheck], pods: PodService) {
        self.readiness = readiness
        self.pods = pods
    }
}
