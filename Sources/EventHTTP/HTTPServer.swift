import CLibevent
import Logging

/// An HTTPS (or, when asked, plain HTTP) server on a libevent loop thread. Handlers are Swift async functions.
public final class HTTPServer: Sendable {
    private let configuration: HTTPServerConfiguration
    private let responder: Responder
    private let logger: Logger
    private let state = Locked(State())

    private struct State {
        var core: ServerCore?
        var loop: EventLoop?
        var port = 0
        var started = false
        var stopped = false
    }

    /// A server; nothing is bound until `start()`.
    public init(configuration: HTTPServerConfiguration, router: Router, middleware: [any HTTPMiddleware] = [],
                errorRenderer: @escaping @Sendable (HTTPError) -> HTTPResponse = KubernetesStatusRenderer.render,
                logger: Logger) {
        self.configuration = configuration
        self.responder = Responder(router: router, middleware: middleware, errorRenderer: errorRenderer, logger: logger)
        self.logger = logger
    }

    /// Loads TLS material, binds, and starts the loop thread. Throws `HTTPServerError` with a clear message.
    public func start() throws {
        try state.withLock { s in
            guard !s.started else { throw HTTPServerError.invalidState("start() called twice") }
            s.started = true
        }
        swiftlet_ignore_sigpipe()
        let loop = try EventLoop()
        let core = ServerCore(loop: loop, configuration: configuration, responder: responder, logger: logger)
        let port: Int
        do {
            // Before the loop thread exists, this thread is the only one touching the base.
            port = try core.setUp()
        } catch {
            core.tearDown()
            // The loop thread frees the base; without one (no thread to be had) it is left for the process exit.
            try? loop.start(name: "swiftlet-http-failed") {}
            loop.submit { loop.breakLoop() }
            throw error
        }
        state.withLock { s in
            s.core = core
            s.loop = loop
            s.port = port
        }
        do {
            try loop.start(name: "swiftlet-http") { core.tearDown() }
        } catch {
            // No loop thread exists, so this thread may still touch the base; shutdown() finds nothing to stop.
            core.tearDown()
            state.withLock { s in
                s.core = nil
                s.loop = nil
            }
            throw HTTPServerError.setup("\(error)")
        }
        if configuration.tls == nil {
            logger.warning("serving plain HTTP without TLS", metadata: ["address": "\(configuration.address)", "port": "\(port)"])
        } else {
            logger.info("serving HTTPS", metadata: ["address": "\(configuration.address)", "port": "\(port)"])
        }
    }

    /// The port actually bound (useful with port 0), after `start()`.
    public var boundPort: Int { state.withLock { $0.port } }

    /// Connections open right now (0 before `start()`), as the loop thread last counted them.
    public var openConnections: Int {
        state.withLock { $0.core }?.liveConnections.withLock { $0 } ?? 0
    }

    /// Stops accepting, closes idle keep-alive connections, ends streams and WebSockets (Close 1001), lets
    /// in-flight requests finish for up to `gracePeriod`, then closes everything and stops the loop thread.
    public func shutdown(gracePeriod: Duration) async {
        let (core, loop) = state.withLock { s -> (ServerCore?, EventLoop?) in
            if s.stopped { return (nil, nil) }
            s.stopped = true
            return (s.core, s.loop)
        }
        guard let core, let loop else { return }
        loop.submit { core.beginShutdown() }
        let deadline = ContinuousClock.now + gracePeriod
        while ContinuousClock.now < deadline, core.liveConnections.withLock({ $0 }) > 0 {
            try? await Task.sleep(for: .milliseconds(10))
        }
        loop.submit { core.finish() }
        let joinDeadline = ContinuousClock.now + .seconds(5)
        while !loop.isFinished, ContinuousClock.now < joinDeadline {
            try? await Task.sleep(for: .milliseconds(5))
        }
        if !loop.isFinished { logger.error("HTTP loop thread did not stop within 5 s") }
        logger.info("HTTP server stopped")
    }
}
