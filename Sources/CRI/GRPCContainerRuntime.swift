import GRPCCore
import GRPCNIOTransportHTTP2Posix
import Logging
import NIOCore

/// The CRI client: `ContainerRuntime` over gRPC on the runtime's unix socket.
///
/// Lifecycle: `init` starts the connection machinery in a background task; the first call connects. The client
/// reconnects by itself when the runtime restarts: while it is down calls fail fast with `unavailable`, and they
/// work again once it is back. Call `close()` once when done: it lets in-flight calls finish and stops the
/// connection.
public final class GRPCContainerRuntime: ContainerRuntime {
    /// The endpoint this client talks to.
    public let endpoint: CRIEndpoint
    /// The deadlines in force.
    public let timeouts: CRITimeouts

    let logger: Logger
    private let grpc: GRPCClient<HTTP2ClientTransport.Posix>
    private let runTask: Task<Void, Never>
    private let tracker: ConnectionTracker
    let runtimeService: Runtime_V1_RuntimeService.Client<HTTP2ClientTransport.Posix>
    let imageService: Runtime_V1_ImageService.Client<HTTP2ClientTransport.Posix>

    /// Creates a client for `endpoint` (`unix:///path/containerd.sock` or `/path/containerd.sock`).
    ///
    /// Does not connect yet, so it succeeds while the runtime is down; call `version()` to check reachability.
    /// - Throws: `CRIError` `.invalidArgument` for an endpoint that is not a unix socket.
    public init(endpoint: String, logger: Logger, timeouts: CRITimeouts = CRITimeouts()) throws {
        let parsed = try CRIEndpoint(parsing: endpoint)
        let tracker = ConnectionTracker()
        let transport: HTTP2ClientTransport.Posix
        do {
            transport = try HTTP2ClientTransport.Posix(
                target: .unixDomainSocket(path: parsed.socketPath),
                transportSecurity: .plaintext,
                config: .defaults { config in
                    // Reconnect quickly after a runtime restart: the default backoff grows to two minutes.
                    config.backoff = .init(
                        initial: .milliseconds(100), max: .seconds(1), multiplier: 1.6, jitter: 0.2)
                    // Local socket: connection setup is cheap, keep idle connections only briefly.
                    config.connection.maxIdleTime = .seconds(5 * 60)
                    config.channelDebuggingCallbacks = .init(
                        onCreateTCPConnection: { channel in
                            channel.eventLoop.makeCompletedFuture {
                                try channel.pipeline.syncOperations.addHandler(
                                    HTTP2PingResponder(tracker: tracker), position: .first)
                            }
                        },
                        onCreateHTTP2Stream: nil)
                })
        } catch {
            throw CRIError(
                code: .invalidArgument,
                message: "cannot set up a gRPC transport to \(parsed): \(error)",
                method: "endpoint")
        }
        let grpc = GRPCClient(transport: transport)
        self.endpoint = parsed
        self.timeouts = timeouts
        self.logger = logger
        self.tracker = tracker
        self.grpc = grpc
        self.runtimeService = Runtime_V1_RuntimeService.Client(wrapping: grpc)
        self.imageService = Runtime_V1_ImageService.Client(wrapping: grpc)
        let runLogger = logger
        self.runTask = Task {
            do {
                try await grpc.runConnections()
            } catch {
                runLogger.error("CRI gRPC client stopped", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Stops accepting calls, lets in-flight calls finish, and closes the connection. Call once.
    public func close() async {
        grpc.beginGracefulShutdown()
        await runTask.value
    }

    /// Connections to the runtime opened so far (a reconnect after a runtime restart adds one).
    public var connectionsOpened: Int { tracker.connectionsOpened }
    /// HTTP/2 PINGs from the runtime answered by the client's own handler (see `HTTP2PingResponder`).
    public var pingsAnswered: Int { tracker.pingsAnswered }

    // MARK: Call plumbing

    /// How a call may be executed.
    enum CallKind {
        /// Idempotent read: tried up to three times on `unavailable`; fails fast when there is no connection.
        case read
        /// Anything that changes state: one attempt, fails fast when there is no connection.
        case write(Duration)
    }

    /// Pauses before the second and third attempt of an idempotent read that failed with `unavailable`.
    ///
    /// Why our own retry instead of grpc-swift's `RetryPolicy`: measured with grpc-swift-2 2.4.3, a read with a
    /// retry policy made while the runtime was down did not fail fast but waited out its whole deadline. A
    /// dropped connection (for example a runtime restart) is the case to cover, and repeating a read cannot
    /// change anything.
    static let readRetryDelays: [Duration] = [.milliseconds(50), .milliseconds(200)]

    func options(_ kind: CallKind) -> CallOptions {
        var options = CallOptions.defaults
        switch kind {
        case .read:
            options.timeout = timeouts.read
            // Not waitForReady: measured with grpc-swift-2 2.4.3, a waitForReady call made while the socket
            // refuses connections outlives its deadline (the wait for a ready connection ignores the
            // deadline's cancellation) and never returns. `call` retries reads itself instead.
            options.waitForReady = false
        case .write(let timeout):
            options.timeout = timeout
            options.waitForReady = false
        }
        return options
    }

    /// Runs one gRPC call with the options for `kind` and converts its errors to `CRIError`. Reads that fail
    /// with `unavailable` are tried again after each of `readRetryDelays`.
    func call<Response: Sendable>(
        _ method: String, _ kind: CallKind,
        _ body: (CallOptions) async throws -> Response
    ) async throws -> Response {
        let retryDelays: [Duration]
        if case .read = kind { retryDelays = Self.readRetryDelays } else { retryDelays = [] }
        var attempt = 0
        while true {
            do {
                return try await attemptCall(method, kind, body)
            } catch let error as CRIError where error.code == .unavailable && attempt < retryDelays.count {
                do {
                    try await Task.sleep(for: retryDelays[attempt])
                } catch {
                    throw CRIError(code: .cancelled, message: "cancelled while retrying: \(error)", method: method)
                }
                attempt += 1
            }
        }
    }

    private func attemptCall<Response: Sendable>(
        _ method: String, _ kind: CallKind,
        _ body: (CallOptions) async throws -> Response
    ) async throws -> Response {
        do {
            return try await body(options(kind))
        } catch {
            var mapped = CRIError.from(error, method: method)
            if mapped.isAmbiguous, tracker.openConnections == 0 {
                mapped.message += " (no connection to the runtime at \(endpoint) is open: is it running?)"
            }
            if Task.isCancelled, mapped.code != .cancelled {
                mapped = CRIError(code: .cancelled, message: "cancelled: \(mapped.message)", method: method)
            }
            throw mapped
        }
    }
}
