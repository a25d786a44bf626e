import Synchronization
import SwiftProtobuf

/// A lean unary gRPC client over HTTP/2 cleartext (prior knowledge), for a unix socket or a TCP address.
///
/// One connection at a time carries every call (HTTP/2 multiplexes them); it is opened by the first call, not
/// by `init`, and replaced by the next call once it has failed or the server sent GOAWAY. There is no retry
/// and no waiting for a connection: while the target refuses connections, calls fail at once with
/// `unavailable`, and once it accepts them again the next call connects. Only a call the server certainly did
/// not process (never sent, or above a GOAWAY's last stream id) is sent again, on a new connection.
///
/// Each call has a deadline: it is sent to the server as `grpc-timeout`, and the connection's reader thread
/// fails the call with `deadlineExceeded` and resets its stream when it passes. Cancelling the calling task
/// fails the call with `cancelled` and resets the stream. Call `close()` when done.
///
/// ```swift
/// let client = GRPCUnaryClient(target: .tcp(host: "10.1.2.3", port: 9090))
/// let reply = try await client.unary(path: "/grpc.health.v1.Health/Check", request: [], timeout: .seconds(1))
/// await client.close()
/// ```
public final class GRPCUnaryClient: Sendable {
    /// Settings of a client.
    public struct Options: Sendable {
        /// `:authority` of every call; nil for the target's (`localhost` for a unix socket, else `host:port`).
        public var authority: String?
        /// `user-agent` of every call.
        public var userAgent: String
        /// Largest response message accepted; a larger one fails with `resourceExhausted`. The default, 16 MiB,
        /// is kubelet's for CRI.
        public var maxResponseMessageBytes: Int
        /// How long a write may wait for the server to read before the connection is given up.
        public var sendTimeout: Duration
        /// How long a TCP connect may take at most (calls also stop waiting at their deadlines).
        public var connectTimeout: Duration

        /// Creates options; the defaults suit a local runtime.
        public init(
            authority: String? = nil, userAgent: String = "swiftlet-grpc/1", maxResponseMessageBytes: Int = 16 << 20,
            sendTimeout: Duration = .seconds(10), connectTimeout: Duration = .seconds(20)
        ) {
            self.authority = authority
            self.userAgent = userAgent
            self.maxResponseMessageBytes = maxResponseMessageBytes
            self.sendTimeout = sendTimeout
            self.connectTimeout = connectTimeout
        }
    }

    /// Where calls go.
    public let target: GRPCTarget
    let tracker: ConnectionTracker
    private let configuration: HTTP2Connection.Configuration
    private let state = Mutex<State>(State())

    private struct State {
        var connection: HTTP2Connection?
        var closed = false
    }

    /// Creates a client; it connects on its first call.
    public convenience init(target: GRPCTarget, options: Options = Options()) {
        self.init(target: target, options: options, tracker: ConnectionTracker())
    }

    init(target: GRPCTarget, options: Options, tracker: ConnectionTracker) {
        self.target = target
        self.tracker = tracker
        self.configuration = HTTP2Connection.Configuration(
            authority: options.authority ?? target.authority, userAgent: options.userAgent,
            maxResponseMessageBytes: options.maxResponseMessageBytes, sendTimeout: options.sendTimeout,
            connectTimeout: options.connectTimeout)
    }

    deinit {
        // A client dropped without `close()` must not leave its reader thread polling an idle connection forever.
        state.withLock { $0.connection }?.beginClose()
    }

    /// Calls `path` (`/package.Service/Method`) with an encoded request message and returns the encoded
    /// response message.
    /// - Throws: `GRPCCallError` with the server's status, or `unavailable` (no connection, or it dropped),
    ///   `deadlineExceeded` (`timeout` passed), `cancelled` (the task was cancelled), `resourceExhausted` (the
    ///   response is larger than `Options.maxResponseMessageBytes`), `internal` (a malformed response).
    public func unary(path: String, request: [UInt8], timeout: Duration) async throws(GRPCCallError) -> [UInt8] {
        let deadline = MonotonicTime.deadline(after: timeout)
        var body: [UInt8] = []
        body.reserveCapacity(5 + request.count)
        body.append(0)  // not compressed
        let length = UInt32(truncatingIfNeeded: request.count)
        body.append(contentsOf: [UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)])
        body.append(contentsOf: request)
        var attempts = 0
        while true {
            guard let connection = connection() else {
                throw GRPCCallError(code: .unavailable, message: "the gRPC client for \(target) is closed")
            }
            switch await connection.unary(path: path, body: body, deadline: deadline) {
            case .success(let response):
                return response
            case .failure(let error):
                attempts += 1
                // A request the server never saw may go again on a fresh connection, within the deadline.
                guard error.transparentRetry, attempts < 3, MonotonicTime.now() < deadline, !Task.isCancelled else {
                    var error = error
                    error.transparentRetry = false
                    throw error
                }
            }
        }
    }

    /// Calls `path` with a SwiftProtobuf request and decodes the response as `Response`.
    /// - Throws: as `unary(path:request:timeout:)`; `internal` when a message cannot be encoded or decoded.
    public func unary<Request: Message, Response: Message>(
        path: String, request: Request, as response: Response.Type = Response.self, timeout: Duration
    ) async throws(GRPCCallError) -> Response {
        let bytes: [UInt8]
        do {
            bytes = try request.serializedBytes()
        } catch {
            throw GRPCCallError(code: .internal, message: "cannot encode the request: \(error)")
        }
        let reply = try await unary(path: path, request: bytes, timeout: timeout)
        do {
            return try Response(serializedBytes: reply)
        } catch {
            throw GRPCCallError(code: .internal, message: "cannot decode the response as \(Response.protoMessageName): \(error)")
        }
    }

    /// Stops new calls, lets the calls in flight finish, then closes the connection. Call once.
    public func close() async {
        let connection = state.withLock { state in
            state.closed = true
            defer { state.connection = nil }
            return state.connection
        }
        await connection?.close()
    }

    /// Connections opened so far: connected and answered with the server's SETTINGS (a reconnect adds one;
    /// failed connects do not count).
    public var connectionsOpened: Int { tracker.connectionsOpened }
    /// HTTP/2 PINGs from the server answered so far.
    public var pingsAnswered: Int { tracker.pingsAnswered }
    /// Connections open right now (0 or 1, briefly 2 while an old one drains).
    public var openConnections: Int { tracker.openConnections }

    /// The connection for a new call: the current one while it accepts calls, else a new one.
    private func connection() -> HTTP2Connection? {
        state.withLock { state in
            guard !state.closed else { return nil }
            if let current = state.connection, current.acceptsCalls { return current }
            let fresh = HTTP2Connection(target: target, configuration: configuration, tracker: tracker)
            state.connection = fresh
            return fresh
        }
    }
}
