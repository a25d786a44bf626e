import CLibevent

/// A small HTTP/1.1 client on a libevent loop thread of its own, for kubelet-style probes and lifecycle hooks: one
/// connection per request (closed after it, as kubelet's probes do), HTTPS without certificate verification, one
/// deadline over resolve + connect + TLS + request + response, a bounded body, and bare TCP connects.
///
/// Why libevent and one thread: 110 pods probed every 10 s are 11 requests a second. Each exchange is a handful of
/// callbacks on one thread with no per-request channel pipeline or thread hop beyond handing the request to the
/// loop and resuming the caller, and it reuses the process's OpenSSL instead of a second TLS stack.
///
/// Every exchange ends exactly once: with its response, its error, the deadline, the caller's cancellation, or
/// `shutdown()`.
public final class HTTPClient: Sendable {
    private let loop: EventLoop?
    private let context: ClientContext?
    /// Why the loop is missing, when it is.
    private let setupFailure: String?

    /// Starts the client's loop thread. A client whose thread cannot start answers every request with
    /// `HTTPClientError.Kind.unavailable` naming the reason, rather than failing its owner's construction.
    public init(threadName: String = "swiftlet-http-client") {
        swiftlet_ignore_sigpipe()
        do {
            let loop = try EventLoop()
            let context = ClientContext(base: loop.base)
            try loop.start(name: threadName) { context.shutDown() }
            self.loop = loop
            self.context = context
            self.setupFailure = nil
        } catch {
            self.loop = nil
            self.context = nil
            self.setupFailure = "\(error)"
        }
    }

    deinit {
        // An owner that never called shutdown() must not leave the loop thread behind.
        guard let loop, let context else { return }
        loop.submit {
            context.shutDown()
            loop.breakLoop()
        }
    }

    /// Sends `request` and returns the response with at most `maxBodyBytes` of its body.
    /// - Throws: `HTTPClientError` when there is no complete response head within `timeout`.
    public func get(
        _ request: HTTPClientRequest, timeout: Duration, maxBodyBytes: Int
    ) async throws(HTTPClientError) -> HTTPClientResponse {
        let bytes = try request.serialized()
        let exchange = ClientExchange(
            host: request.host, port: request.port, tls: request.scheme == .https,
            mode: .request(bytes, maxBodyBytes: maxBodyBytes), timeout: timeout)
        guard let response = try await run(exchange) else {
            throw HTTPClientError(.connectionLost, "no response")
        }
        return response
    }

    /// Opens a TCP connection to `host:port` and closes it at once (kubelet's tcpSocket probe).
    /// - Throws: `HTTPClientError` when the connection is not established within `timeout`.
    public func connect(host: String, port: Int, timeout: Duration) async throws(HTTPClientError) {
        _ = try await run(ClientExchange(host: host, port: port, tls: false, mode: .connectOnly, timeout: timeout))
    }

    /// Ends every exchange in flight with `unavailable` and stops the loop thread. Later calls fail at once.
    public func shutdown() async {
        guard let loop, let context else { return }
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            let queued = loop.submit {
                context.shutDown()
                loop.breakLoop()
                done.resume()
            }
            if !queued { done.resume() }
        }
    }

    /// The loop and its context, nil when the client could not start.
    var eventLoop: EventLoop? { loop }
    var clientContext: ClientContext? { context }

    /// What every call answers when the client could not start.
    var unavailableError: HTTPClientError {
        HTTPClientError(.unavailable, "the HTTP client could not start: \(setupFailure ?? "unknown")")
    }

    private func run(_ exchange: ClientExchange) async throws(HTTPClientError) -> HTTPClientResponse? {
        guard let loop, let context else { throw unavailableError }
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<HTTPClientResponse?, HTTPClientError>, Never>) in
                let queued = loop.submit { context.start(exchange) { continuation.resume(returning: $0) } }
                if !queued { continuation.resume(returning: .failure(HTTPClientError(.unavailable, "the HTTP client is shut down"))) }
            }
        } onCancel: {
            loop.submit { context.cancel(exchange) }
        }
        return try result.get()
    }
}
