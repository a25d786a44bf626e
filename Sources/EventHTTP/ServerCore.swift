import CLibevent
import Glibc
import Logging

/// Loop-thread state of a running server: listener, TLS context, live connections. Every method and property is
/// used on the loop thread only (see EventLoop.swift for the hand-off rules); `@unchecked Sendable` lets tasks
/// carry a reference into `EventLoop.submit` closures, which run back on the loop thread.
final class ServerCore: @unchecked Sendable {
    let loop: EventLoop
    let configuration: HTTPServerConfiguration
    let responder: Responder
    let logger: Logger
    private(set) var sslContext: OpaquePointer?
    private var listener: OpaquePointer?
    private var connections: [ObjectIdentifier: Connection] = [:]
    /// Mirrors `connections.count` for `HTTPServer.shutdown`, which polls it from a task.
    let liveConnections = Locked(0)
    private(set) var shuttingDown = false
    private var nextID: UInt64 = 0

    init(loop: EventLoop, configuration: HTTPServerConfiguration, responder: Responder, logger: Logger) {
        self.loop = loop
        self.configuration = configuration
        self.responder = responder
        self.logger = logger
    }

    /// Loop thread (called before the loop runs): TLS context and listening socket. Returns the bound port.
    func setUp() throws -> Int {
        if let tls = configuration.tls { sslContext = try Self.makeSSLContext(tls) }
        var storage = sockaddr_storage()
        var length = Int32(MemoryLayout<sockaddr_storage>.size)
        let host = configuration.address.contains(":") ? "[\(configuration.address)]" : configuration.address
        // libevent rejects an explicit ":0"; without a port it leaves 0 (ephemeral).
        let spec = configuration.port == 0 ? host : "\(host):\(configuration.port)"
        guard (0...65535).contains(configuration.port) else {
            throw HTTPServerError.bind("port \(configuration.port) is out of range")
        }
        let parsed = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { evutil_parse_sockaddr_port(spec, $0, &length) }
        }
        guard parsed == 0 else { throw HTTPServerError.bind("invalid address \(spec)") }
        let arg = Unmanaged.passUnretained(self).toOpaque()
        let flags = UInt32(LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE | LEV_OPT_CLOSE_ON_EXEC)
        let created = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                evconnlistener_new_bind(loop.base, { _, fd, sa, _, arg in
                    guard let arg, let sa else { close(fd); return }
                    Unmanaged<ServerCore>.fromOpaque(arg).takeUnretainedValue().accept(fd: fd, address: sa)
                }, arg, flags, 511, sa, length)
            }
        }
        guard let created else {
            throw HTTPServerError.bind("\(spec): \(String(cString: strerror(errno)))")
        }
        listener = created
        let fd = evconnlistener_get_fd(created)
        // Accepted sockets inherit TCP_NODELAY on Linux; without it every HTTPS reply waited ~44 ms (measured).
        _ = swiftlet_set_nodelay(fd)
        return Int(swiftlet_bound_port(fd))
    }

    static func makeSSLContext(_ tls: TLSConfiguration) throws -> OpaquePointer {
        func failure(_ what: String) -> HTTPServerError {
            var buf = [CChar](repeating: 0, count: 256)
            swiftlet_ssl_error_string(&buf, buf.count)
            return .tls("\(what): \(String(cBuffer: buf))")
        }
        guard let ctx = SSL_CTX_new(TLS_server_method()) else { throw failure("SSL_CTX_new") }
        guard swiftlet_tls_configure(ctx) == 0 else {
            SSL_CTX_free(ctx)
            throw failure("configuring protocol versions and ciphers")
        }
        guard SSL_CTX_use_certificate_chain_file(ctx, tls.certificateChainFile) == 1 else {
            SSL_CTX_free(ctx)
            throw failure("loading certificate chain \(tls.certificateChainFile)")
        }
        guard SSL_CTX_use_PrivateKey_file(ctx, tls.privateKeyFile, SSL_FILETYPE_PEM) == 1 else {
            SSL_CTX_free(ctx)
            throw failure("loading private key \(tls.privateKeyFile)")
        }
        guard SSL_CTX_check_private_key(ctx) == 1 else {
            SSL_CTX_free(ctx)
            throw failure("private key \(tls.privateKeyFile) does not match \(tls.certificateChainFile)")
        }
        if let ca = tls.clientCAFile {
            guard swiftlet_tls_request_client_certs(ctx, ca) == 0 else {
                SSL_CTX_free(ctx)
                throw failure("loading client CA file \(ca)")
            }
        }
        return ctx
    }

    private func accept(fd: Int32, address: UnsafeMutablePointer<sockaddr>) {
        var buf = [CChar](repeating: 0, count: 64)
        swiftlet_format_address(address, &buf, buf.count)
        let remote = String(cBuffer: buf)
        if shuttingDown || connections.count >= configuration.maxConnections {
            logger.warning("refusing connection", metadata: [
                "remote": "\(remote)", "reason": "\(shuttingDown ? "shutting down" : "maxConnections reached")"])
            close(fd)
            return
        }
        let bev: OpaquePointer?
        if let sslContext {
            guard let ssl = SSL_new(sslContext) else { close(fd); return }
            bev = bufferevent_openssl_socket_new(loop.base, fd, ssl, BUFFEREVENT_SSL_ACCEPTING,
                                                 Int32(BEV_OPT_CLOSE_ON_FREE.rawValue))
            if let bev { bufferevent_openssl_set_allow_dirty_shutdown(bev, 1) } else { SSL_free(ssl) }
        } else {
            bev = bufferevent_socket_new(loop.base, fd, Int32(BEV_OPT_CLOSE_ON_FREE.rawValue))
        }
        guard let bev else { close(fd); return }
        nextID &+= 1
        let connection = Connection(core: self, bev: bev, fd: fd, remoteAddress: remote, id: nextID)
        connections[ObjectIdentifier(connection)] = connection
        liveConnections.withLock { $0 = connections.count }
        connection.start()
    }

    /// Loop thread: forget a closed connection.
    func remove(_ connection: Connection) {
        connections.removeValue(forKey: ObjectIdentifier(connection))
        liveConnections.withLock { $0 = connections.count }
    }

    /// Loop thread: stop accepting; close idle connections; end streams and WebSockets cleanly.
    func beginShutdown() {
        guard !shuttingDown else { return }
        shuttingDown = true
        if let listener { evconnlistener_disable(listener) }
        for connection in Array(connections.values) { connection.shutdownRequested() }
    }

    /// Loop thread: close whatever is left and stop the loop.
    func finish() {
        for connection in Array(connections.values) { connection.closeNow() }
        loop.breakLoop()
    }

    /// Loop thread, after the loop ended: release the listener and TLS context.
    func tearDown() {
        for connection in Array(connections.values) { connection.closeNow() }
        if let listener { evconnlistener_free(listener) }
        listener = nil
        if let sslContext { SSL_CTX_free(sslContext) }
        sslContext = nil
    }

    /// The one access-log line per request. Returns before building anything when info lines are not logged: the
    /// metadata and the duration text cost more than answering a health probe (measured with perf).
    func logAccess(method: String, path: String, status: Int, bytes: Int, started: ContinuousClock.Instant,
                   remote: String, attributes: [String: String]) {
        guard logger.logLevel <= .info else { return }
        let elapsed = ContinuousClock.now - started
        let micros = elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000
        var metadata: Logger.Metadata = [
            "method": "\(method)", "path": "\(path)", "status": "\(status)", "bytes": "\(bytes)",
            "duration_ms": "\(Self.milliseconds(micros))", "remote": "\(remote)",
        ]
        for (k, v) in attributes { metadata[k] = "\(v)" }
        logger.info("request", metadata: metadata)
    }

    /// `micros` as milliseconds with three decimals, without Foundation's format machinery.
    static func milliseconds(_ micros: Int64) -> String {
        let fraction = String(micros % 1000)
        return "\(micros / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }
}
