import CRI
import EventHTTP
import KubeTypes
import NodeAgent
import StreamBridge

/// Interactive streams over WebSocket: `GET /exec/{namespace}/{pod}/{container}`, `GET /attach/...` and
/// `GET /portForward/{namespace}/{pod}`, bridged to the runtime's stream server by `StreamingService`.
///
/// All three need `create` on their subresource (`pods/exec`, `pods/attach`, `pods/portforward`) whatever the
/// method, as kubelet's authorizer maps them, so the viewer role never gets a shell or a socket into a pod.
/// EventHTTP accepts WebSocket upgrades on GET only (RFC 6455 §4.1); `POST /attach` and `POST /portForward`, and
/// `POST /exec` with an `Upgrade` header (through `execUpgradeHandler`), are answered 400 with that explanation.
public struct StreamRoutes: Sendable {
    private let pods: PodService
    private let containers: (any ContainerLocating)?
    private let runtime: (any ContainerRuntime)?
    private let streaming: StreamingService?

    /// Routes over the pod API, the container locator, the runtime and the streaming service (absent ones: 503).
    public init(pods: PodService, containers: (any ContainerLocating)?, runtime: (any ContainerRuntime)?,
                streaming: StreamingService?) {
        self.pods = pods
        self.containers = containers
        self.runtime = runtime
        self.streaming = streaming
    }

    /// The route table rows.
    public var routes: [APIRoute] {
        [
            APIRoute("GET", "/exec/{namespace}/{pod}/{container}", access: .resource("pods/exec", verb: "create")) { request, context in
                try await StatusResponses.handling { try await exec(request, context) }
            },
            APIRoute("GET", "/attach/{namespace}/{pod}/{container}", access: .resource("pods/attach", verb: "create")) { request, context in
                try await StatusResponses.handling { try await attach(request, context) }
            },
            APIRoute("GET", "/portForward/{namespace}/{pod}", access: .resource("pods/portforward", verb: "create")) { request, context in
                try await StatusResponses.handling { try await portForward(request, context) }
            },
            // kubelet also registers POST for these two; here POST only explains itself (400), behind the same
            // authorization, so the method never changes who may reach them.
            APIRoute("POST", "/attach/{namespace}/{pod}/{container}", access: .resource("pods/attach", verb: "create")) { request, context in
                try await StatusResponses.handling { try await attach(request, context) }
            },
            APIRoute("POST", "/portForward/{namespace}/{pod}", access: .resource("pods/portforward", verb: "create")) { request, context in
                try await StatusResponses.handling { try await portForward(request, context) }
            },
        ]
    }

    /// For `NodeServices.execUpgrade`: `POST /exec` requests that carry an `Upgrade` header.
    public var execUpgradeHandler: ExecUpgradeHandler {
        { request, context in
            try await StatusResponses.handling {
                guard request.method == "GET" else {
                    throw APIStatusError(.badRequest(
                        "WebSocket upgrades must use GET (RFC 6455); send GET /exec/... with the same query for an interactive stream"))
                }
                return try await exec(request, context)
            }
        }
    }

    private func exec(_ request: HTTPRequest, _ context: RouteContext) async throws -> HTTPResponse {
        let (service, target) = try await running(request, context, verb: "exec")
        return try await answer {
            try await service.exec(containerID: target.containerID, command: request.query.all("command"),
                                   options: RemoteCommandOptions { request.query[$0] },
                                   clientKey: StreamClientKey.key(for: request))
        }
    }

    private func attach(_ request: HTTPRequest, _ context: RouteContext) async throws -> HTTPResponse {
        let (service, target) = try await running(request, context, verb: "attach")
        return try await answer {
            try await service.attach(containerID: target.containerID, options: RemoteCommandOptions { request.query[$0] },
                                     clientKey: StreamClientKey.key(for: request))
        }
    }

    private func portForward(_ request: HTTPRequest, _ context: RouteContext) async throws -> HTTPResponse {
        guard let streaming, let runtime else {
            throw APIStatusError(.serviceUnavailable("port-forward is not available on this node"))
        }
        try requireUpgrade(request)
        // kubelet reads `port`; the API server's option is `ports`. Both, repeated or comma-separated.
        var ports: [UInt16] = []
        for value in request.query.all("ports") + request.query.all("port") {
            for part in value.split(separator: ",", omittingEmptySubsequences: false) {
                guard let port = UInt16(part.filter { $0 != " " }), port > 0 else {
                    throw APIStatusError(.badRequest("unable to parse \"\(part)\" as a port: want 1-65535"))
                }
                ports.append(port)
            }
        }
        let key = ObjectKey(namespace: try context.parameter("namespace"), name: try context.parameter("pod"))
        guard let pod = await pods.get(key) else { throw APIStatusError(.notFound(resource: "pods", name: key.name)) }
        let uid = pod.metadata.uid ?? ""
        var filter = Runtime_V1_PodSandboxFilter()
        filter.labelSelector = ["io.kubernetes.pod.uid": uid]
        filter.state.state = .sandboxReady
        let sandboxes: [Runtime_V1_PodSandbox]
        do {
            sandboxes = try await runtime.listPodSandboxes(filter: filter)
        } catch {
            throw APIStatusError(.internalError("listing the sandboxes of pod \"\(key.name)\": \(error)"))
        }
        guard !uid.isEmpty, let sandbox = sandboxes.max(by: { $0.createdAt < $1.createdAt }) else {
            throw APIStatusError(.badRequest("pod \"\(key.name)\" has no running sandbox to forward ports into"))
        }
        return try await answer {
            try await streaming.portForward(sandboxID: sandbox.id, ports: ports, clientKey: StreamClientKey.key(for: request))
        }
    }

    /// The streaming service and the running container the request names.
    private func running(_ request: HTTPRequest, _ context: RouteContext,
                         verb: String) async throws -> (StreamingService, ContainerTarget) {
        guard let streaming, let containers else {
            throw APIStatusError(.serviceUnavailable("\(verb) is not available on this node"))
        }
        try requireUpgrade(request)
        let target = try await containers.locate(
            namespace: try context.parameter("namespace"), pod: try context.parameter("pod"),
            container: try context.parameter("container"), previous: false)
        guard target.isRunning else {
            throw APIStatusError(.badRequest(
                "cannot \(verb) in container \"\(target.containerName)\" in pod \"\(target.podName)\": the container is not running"))
        }
        return (streaming, target)
    }

    /// These routes only stream; a plain GET gets a clear 400 instead of a confusing handshake error.
    private func requireUpgrade(_ request: HTTPRequest) throws {
        guard request.method == "GET" else {
            throw APIStatusError(.badRequest(
                "WebSocket upgrades must use GET (RFC 6455); send GET \(request.path) with the same query for a stream"))
        }
        guard request.headers.containsToken("Upgrade", "websocket") else {
            throw APIStatusError(.badRequest(
                "this endpoint needs a WebSocket upgrade (Upgrade: websocket, subprotocol v5.channel.k8s.io, v4.channel.k8s.io, v4.base64.channel.k8s.io or channel.k8s.io)"))
        }
    }

    private func answer(_ make: () async throws -> WebSocketUpgrade) async throws -> HTTPResponse {
        do {
            return HTTPResponse(body: .webSocket(try await make()))
        } catch let error as StreamingError {
            throw error.httpError
        }
    }
}
