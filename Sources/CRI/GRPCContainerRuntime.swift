import Logging
import SwiftProtobuf

/// The CRI client: `ContainerRuntime` over gRPC on the runtime's unix socket, through `GRPCUnaryClient`.
///
/// Lifecycle: `init` does not connect; the first call does. The client reconnects by itself when the runtime
/// restarts: while it is down calls fail fast with `unavailable`, and the first call after it is back connects
/// again. Call `close()` once when done: it lets in-flight calls finish and closes the connection.
public final class GRPCContainerRuntime: ContainerRuntime {
    /// The endpoint this client talks to.
    public let endpoint: CRIEndpoint
    /// The deadlines in force.
    public let timeouts: CRITimeouts

    let logger: Logger
    let client: GRPCUnaryClient

    /// Creates a client for `endpoint` (`unix:///path/containerd.sock` or `/path/containerd.sock`).
    ///
    /// Does not connect yet, so it succeeds while the runtime is down; call `version()` to check reachability.
    /// - Throws: `CRIError` `.invalidArgument` for an endpoint that is not a unix socket.
    public init(endpoint: String, logger: Logger, timeouts: CRITimeouts = CRITimeouts()) throws {
        let parsed = try CRIEndpoint(parsing: endpoint)
        self.endpoint = parsed
        self.timeouts = timeouts
        self.logger = logger
        // kubelet's CRI client allows 16 MiB messages; the options' default is the same.
        self.client = GRPCUnaryClient(target: .unixSocket(path: parsed.socketPath))
    }

    /// Stops accepting calls, lets in-flight calls finish, and closes the connection. Call once.
    public func close() async {
        await client.close()
    }

    /// Connections to the runtime opened so far (a reconnect after a runtime restart adds one).
    public var connectionsOpened: Int { client.connectionsOpened }
    /// HTTP/2 PINGs from the runtime answered (containerd sends one with almost every response).
    public var pingsAnswered: Int { client.pingsAnswered }

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
    /// Why retry reads at all: a dropped connection (for example a runtime restart) fails the calls in flight
    /// with `unavailable`, and repeating a read cannot change anything. Writes are never repeated here: their
    /// outcome is unknown (see `AmbiguousCreate`).
    static let readRetryDelays: [Duration] = [.milliseconds(50), .milliseconds(200)]

    /// The deadline of a call of `kind`.
    func timeout(_ kind: CallKind) -> Duration {
        switch kind {
        case .read: return timeouts.read
        case .write(let timeout): return timeout
        }
    }

    /// Runs one CRI call (`method` is `Service/Method`, e.g. `RuntimeService/Version`) with the deadline for
    /// `kind` and converts its errors to `CRIError`. Reads that fail with `unavailable` are tried again after
    /// each of `readRetryDelays`.
    func call<Request: Message, Response: Message>(
        _ method: String, _ kind: CallKind, _ request: Request, as response: Response.Type
    ) async throws -> Response {
        let retryDelays: [Duration]
        if case .read = kind { retryDelays = Self.readRetryDelays } else { retryDelays = [] }
        let path = "/runtime.v1." + method
        var attempt = 0
        while true {
            let failure: CRIError
            switch await attemptCall(method, path, kind, request, as: response) {
            case .success(let reply): return reply
            case .failure(let error): failure = error
            }
            guard failure.code == .unavailable, attempt < retryDelays.count else { throw failure }
            do {
                try await Task.sleep(for: retryDelays[attempt])
            } catch {
                throw CRIError(code: .cancelled, message: "cancelled while retrying: \(error)", method: method)
            }
            attempt += 1
        }
    }

    private func attemptCall<Request: Message, Response: Message>(
        _ method: String, _ path: String, _ kind: CallKind, _ request: Request, as response: Response.Type
    ) async -> Result<Response, CRIError> {
        do {
            return .success(try await client.unary(path: path, request: request, as: response, timeout: timeout(kind)))
        } catch {
            var mapped = CRIError(error, method: method)
            if mapped.isAmbiguous, client.openConnections == 0 {
                mapped.message += " (no connection to the runtime at \(endpoint) is open: is it running?)"
            }
            if Task.isCancelled, mapped.code != .cancelled {
                mapped = CRIError(code: .cancelled, message: "cancelled: \(mapped.message)", method: method)
            }
            return .failure(mapped)
        }
    }
}
