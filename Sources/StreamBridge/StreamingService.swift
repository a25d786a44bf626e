import CRI
import EventHTTP
import Logging

/// Interactive exec, attach and port-forward: asks the runtime (CRI `Exec`, `Attach`, `PortForward`) for a stream
/// server URL, connects to it with a WebSocket of its own, and hands back the upgrade that relays the user's
/// WebSocket to it. Works on runtime ids; finding them from pod names is the caller's business.
///
/// Everything that can fail before the user's upgrade is answered (limits, validation, the runtime's refusal, the
/// stream server's handshake) throws `StreamingError`, so the user gets an HTTP error rather than a stream that
/// closes at once.
public final class StreamingService: Sendable {
    /// Limits and timeouts.
    public let configuration: StreamingConfiguration
    /// The concurrency bounds in force.
    public let limiter: StreamLimiter
    private let runtime: any ContainerRuntime
    private let logger: Logger

    /// A service over `runtime`.
    public init(runtime: any ContainerRuntime, configuration: StreamingConfiguration = StreamingConfiguration(),
                logger: Logger) {
        self.runtime = runtime
        self.configuration = configuration
        self.limiter = StreamLimiter(maxTotal: configuration.maxStreams, maxPerClient: configuration.maxStreamsPerClient)
        self.logger = logger
    }

    /// An exec session running `command` in container `containerID`.
    /// - Parameter clientKey: who is asking, for the per-client bound (see `StreamClientKey`).
    public func exec(containerID: String, command: [String], options: RemoteCommandOptions,
                     clientKey: String) async throws -> WebSocketUpgrade {
        guard !command.isEmpty else {
            throw StreamingError.invalidRequest("you must specify at least one command for the container")
        }
        if let problem = options.problem { throw StreamingError.invalidRequest(problem) }
        let lease = try acquire(clientKey)
        var request = Runtime_V1_ExecRequest()
        request.containerID = containerID
        request.cmd = command
        request.stdin = options.stdin
        request.stdout = options.stdout
        request.stderr = options.stderr
        request.tty = options.tty
        let url = try await prepare("exec") { try await runtime.exec(request) }
        return try await upgrade(url: url, kind: .remoteCommand(tty: options.tty),
                                 subprotocols: ChannelProtocol.remoteCommandSubprotocols, lease: lease)
    }

    /// An attach session to the main process of container `containerID`.
    public func attach(containerID: String, options: RemoteCommandOptions,
                       clientKey: String) async throws -> WebSocketUpgrade {
        if let problem = options.problem { throw StreamingError.invalidRequest(problem) }
        let lease = try acquire(clientKey)
        var request = Runtime_V1_AttachRequest()
        request.containerID = containerID
        request.stdin = options.stdin
        request.stdout = options.stdout
        request.stderr = options.stderr
        request.tty = options.tty
        let url = try await prepare("attach") { try await runtime.attach(request) }
        return try await upgrade(url: url, kind: .remoteCommand(tty: options.tty),
                                 subprotocols: ChannelProtocol.remoteCommandSubprotocols, lease: lease)
    }

    /// A port-forward session into sandbox `sandboxID` for `ports` (kubelet's WebSocket port-forward protocol:
    /// port i has data channel 2i and error channel 2i+1, each starting with the port as 2 little-endian bytes).
    public func portForward(sandboxID: String, ports: [UInt16], clientKey: String) async throws -> WebSocketUpgrade {
        guard !ports.isEmpty else { throw StreamingError.invalidRequest("query parameter \"ports\" is required") }
        guard ports.count <= 64 else { throw StreamingError.invalidRequest("at most 64 ports per port-forward stream") }
        let lease = try acquire(clientKey)
        var request = Runtime_V1_PortForwardRequest()
        request.podSandboxID = sandboxID
        request.port = ports.map { Int32($0) }
        let url = try await prepare("port-forward") { try await runtime.portForward(request) }
        return try await upgrade(url: url, kind: .portForward(ports: ports.count),
                                 subprotocols: ChannelProtocol.portForwardSubprotocols, lease: lease)
    }

    private func acquire(_ clientKey: String) throws -> StreamLease {
        do {
            return try limiter.acquire(client: clientKey)
        } catch let refusal as StreamLimiter.Refusal {
            throw StreamingError.tooManyStreams(refusal)
        }
    }

    private func prepare(_ what: String, _ call: () async throws -> String) async throws -> String {
        do {
            return try await call()
        } catch {
            throw StreamingError.runtime("preparing the \(what) stream: \(error)")
        }
    }

    private func upgrade(url: String, kind: StreamRelay.Kind, subprotocols: [String],
                         lease: StreamLease) async throws -> WebSocketUpgrade {
        let upstream: WebSocketClient
        do {
            upstream = try await WebSocketClient.connect(to: try StreamEndpoint(url: url),
                                                         subprotocols: [ChannelProtocol.upstreamSubprotocol],
                                                         timeout: configuration.connectTimeout)
        } catch {
            throw StreamingError.runtime("\(error)")
        }
        let session = StreamSession(lease: lease, upstream: upstream)
        let idleTimeout = configuration.idleTimeout
        let logger = self.logger
        let portForward: Bool
        if case .portForward = kind { portForward = true } else { portForward = false }
        return WebSocketUpgrade(subprotocols: subprotocols) { connection in
            let relay = StreamRelay(kind: kind,
                                    clientProtocol: ChannelProtocol(subprotocol: connection.subprotocol, portForward: portForward),
                                    idleTimeout: idleTimeout, logger: logger)
            await relay.run(client: connection, upstream: session.upstream)
            session.end()
        }
    }
}

/// The runtime-side connection and the stream slot of one session. If the user's upgrade never reaches its
/// handler (a refused handshake), dropping the upgrade drops this and both are given back.
final class StreamSession: Sendable {
    let lease: StreamLease
    let upstream: WebSocketClient

    init(lease: StreamLease, upstream: WebSocketClient) {
        self.lease = lease
        self.upstream = upstream
    }

    func end() { lease.release() }

    deinit {
        upstream.requestClose()
        lease.release()
    }
}
