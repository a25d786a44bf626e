import CLibevent

/// One client connection: HTTP/1.1 parsing, response writing, streaming, timeouts, WebSocket takeover.
///
/// Loop-thread confined: every stored property is read and written only on the loop thread (libevent callbacks
/// and `EventLoop.submit` jobs). `@unchecked Sendable` only lets tasks carry the reference into submit closures.
final class Connection: @unchecked Sendable {
    enum Phase {
        /// Keep-alive: waiting for the first byte of the next request (idle timeout).
        case idle
        /// Reading request line + fields (header deadline).
        case readingHead
        /// Reading the body (body deadline).
        case readingBody(RequestHead, RequestHead.BodyFraming)
        /// A handler is running; input is left unread (pipelining) but EOF is still noticed.
        case processing
        /// A chunked response is being streamed.
        case streaming
        /// The connection speaks WebSocket.
        case webSocket
        /// Flushing the last response before closing (then lingering for the peer's FIN).
        case closing(linger: Bool)
        case closed
    }

    unowned let core: ServerCore
    let bev: OpaquePointer
    let fd: Int32
    let remoteAddress: String
    let id: UInt64
    private(set) var phase: Phase = .readingHead
    private var timer: OpaquePointer?
    private var body: [UInt8] = []
    private var chunked = ChunkedDecoder()
    private var identity: ClientCertificate??
    /// Shared with `StreamWriter`/`WebSocketConnection` so tasks can see "gone" without a loop round trip.
    let connected = Locked(true)
    private var drainWaiters: [CheckedContinuation<Void, any Error>] = []
    private var currentStream: StreamState?
    var webSocket: WebSocketSession?

    struct StreamState {
        var method: String
        var path: String
        var status: Int
        var started: ContinuousClock.Instant
        var attributes: [String: String]
        var bytes = 0
        var chunked: Bool
        var keepAlive: Bool
        var ended = false
    }

    init(core: ServerCore, bev: OpaquePointer, fd: Int32, remoteAddress: String, id: UInt64) {
        self.core = core
        self.bev = bev
        self.fd = fd
        self.remoteAddress = remoteAddress
        self.id = id
    }

    private var config: HTTPServerConfiguration { core.configuration }

    func start() {
        let arg = Unmanaged.passUnretained(self).toOpaque()
        bufferevent_setcb(bev, { _, arg in
            guard let arg else { return }
            let c = Unmanaged<Connection>.fromOpaque(arg).takeUnretainedValue()
            withExtendedLifetime(c) { c.onReadable() }
        }, { _, arg in
            guard let arg else { return }
            let c = Unmanaged<Connection>.fromOpaque(arg).takeUnretainedValue()
            withExtendedLifetime(c) { c.onWritable() }
        }, { _, what, arg in
            guard let arg else { return }
            let c = Unmanaged<Connection>.fromOpaque(arg).takeUnretainedValue()
            withExtendedLifetime(c) { c.onEvent(what) }
        }, arg)
        // Write stall protection: a client that stops reading is cut off after idleTimeout without progress.
        var writeTimeout = Self.timeval(config.idleTimeout)
        bufferevent_set_timeouts(bev, nil, &writeTimeout)
        timer = evtimer_new_shim(arg)
        // The first request's header deadline starts at accept, so it also bounds the TLS handshake.
        arm(config.headerTimeout)
        bufferevent_enable(bev, Int16(EV_READ | EV_WRITE))
    }

    private func evtimer_new_shim(_ arg: UnsafeMutableRawPointer) -> OpaquePointer? {
        event_new(core.loop.base, -1, 0, { _, _, arg in
            guard let arg else { return }
            let c = Unmanaged<Connection>.fromOpaque(arg).takeUnretainedValue()
            withExtendedLifetime(c) { c.onTimer() }
        }, arg)
    }

    // MARK: timers

    static func timeval(_ d: Duration) -> timeval {
        let c = d.components
        return CLibevent.timeval(tv_sec: Int(c.seconds), tv_usec: Int(c.attoseconds / 1_000_000_000_000))
    }

    private func arm(_ d: Duration) {
        guard let timer else { return }
        var tv = Self.timeval(d)
        event_add(timer, &tv)
    }

    private func disarm() {
        if let timer { event_del(timer) }
    }

    private func onTimer() {
        switch phase {
        case .idle:
            closeNow()
        case .readingHead:
            // Slowloris or a stalled handshake. Answer 408 only if the client has sent part of a request.
            if evbuffer_get_length(bufferevent_get_input(bev)) > 0 {
                reject(.requestTimeout("request header fields not received within \(config.headerTimeout)"))
            } else {
                closeNow()
            }
        case .readingBody:
            reject(.requestTimeout("request body not received within \(config.bodyTimeout)"))
        case .closing, .webSocket:
            closeNow()
        case .processing, .streaming, .closed:
            break
        }
    }

    // MARK: libevent callbacks

    private func onEvent(_ what: Int16) {
        // EOF, error, or a write that made no progress for idleTimeout: the client is gone.
        if Int32(what) & (BEV_EVENT_EOF | BEV_EVENT_ERROR | BEV_EVENT_TIMEOUT) != 0 { closeNow() }
    }

    private func onWritable() {
        // The output buffer drained completely (low watermark 0).
        let waiters = drainWaiters
        drainWaiters.removeAll()
        for w in waiters { w.resume() }
        if case .closing(let linger) = phase { finishClosing(linger: linger) }
    }

    func onReadable() {
        guard let input = bufferevent_get_input(bev) else { return }
        switch phase {
        case .idle:
            guard evbuffer_get_length(input) > 0 else { return }
            phase = .readingHead
            disarm()
            arm(config.headerTimeout)
            readHead()
        case .readingHead:
            readHead()
        case .readingBody(let head, let framing):
            readBody(head, framing)
        case .processing, .streaming:
            // Pipelined bytes wait for the current response; stop reading if a client floods us.
            if evbuffer_get_length(input) > config.maxHeaderBytes + 65536 {
                bufferevent_disable(bev, Int16(EV_READ))
            }
        case .webSocket:
            webSocket?.onReadable(input)
        case .closing:
            evbuffer_drain(input, evbuffer_get_length(input))
        case .closed:
            break
        }
    }

    // MARK: request parsing

    private func readHead() {
        let input = bufferevent_get_input(bev)
        // Tolerate empty lines before a request (RFC 9112 §2.2).
        while evbuffer_get_length(input) >= 2 {
            var two: (UInt8, UInt8) = (0, 0)
            _ = withUnsafeMutableBytes(of: &two) { evbuffer_copyout(input, $0.baseAddress, 2) }
            guard two == (13, 10) else { break }
            evbuffer_drain(input, 2)
        }
        let available = evbuffer_get_length(input)
        guard available > 0 else { return }
        let pos = "\r\n\r\n".withCString { evbuffer_search(input, $0, 4, nil) }
        if pos.pos < 0 {
            if available > config.maxHeaderBytes {
                reject(.headersTooLarge("request header fields exceed \(config.maxHeaderBytes) bytes"))
            }
            return
        }
        let headLength = pos.pos + 4
        guard headLength <= config.maxHeaderBytes else {
            reject(.headersTooLarge("request header fields exceed \(config.maxHeaderBytes) bytes"))
            return
        }
        var bytes = [UInt8](repeating: 0, count: headLength)
        _ = bytes.withUnsafeMutableBytes { evbuffer_remove(input, $0.baseAddress, headLength) }
        let head: RequestHead
        let framing: RequestHead.BodyFraming
        do {
            head = try RequestHead.parse(bytes)
            framing = try head.bodyFraming()
        } catch let error as HTTPError {
            reject(error)
            return
        } catch {
            reject(.badRequest("malformed request"))
            return
        }
        switch framing {
        case .none:
            dispatch(head, body: [])
        case .contentLength(let n):
            if n > config.maxBodyBytes {
                reject(.payloadTooLarge("request body of \(n) bytes exceeds the limit of \(config.maxBodyBytes) bytes"))
                return
            }
            beginBody(head, framing)
        case .chunked:
            chunked = ChunkedDecoder()
            beginBody(head, framing)
        }
    }

    private func beginBody(_ head: RequestHead, _ framing: RequestHead.BodyFraming) {
        body = []
        phase = .readingBody(head, framing)
        disarm()
        arm(config.bodyTimeout)
        if head.headers.containsToken("Expect", "100-continue") {
            writeBytes(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
        }
        readBody(head, framing)
    }

    private func readBody(_ head: RequestHead, _ framing: RequestHead.BodyFraming) {
        guard let input = bufferevent_get_input(bev) else { return }
        switch framing {
        case .none:
            dispatch(head, body: [])
        case .contentLength(let n):
            let want = n - body.count
            let take = min(want, evbuffer_get_length(input))
            if take > 0 {
                let start = body.count
                body.append(contentsOf: repeatElement(0, count: take))
                _ = body.withUnsafeMutableBytes { evbuffer_remove(input, $0.baseAddress! + start, take) }
            }
            if body.count == n {
                let b = body
                body = []
                dispatch(head, body: b)
            }
        case .chunked:
            switch chunked.feed(input, into: &body, limit: config.maxBodyBytes) {
            case .needMore:
                break
            case .done:
                let b = body
                body = []
                dispatch(head, body: b)
            case .tooLarge:
                reject(.payloadTooLarge("request body exceeds the limit of \(config.maxBodyBytes) bytes"))
            case .malformed(let why):
                reject(.badRequest("malformed chunked body: \(why)"))
            }
        }
    }

    private var clientIdentity: ClientCertificate? {
        if let identity { return identity }
        var result: ClientCertificate?
        if core.configuration.tls?.clientCAFile != nil, let ssl = bufferevent_openssl_get_ssl(bev),
           swiftlet_peer_verified(ssl) == 1 {
            func entries(_ nid: Int32) -> [String] {
                (0..<swiftlet_peer_subject_count(ssl, nid)).compactMap { i in
                    var buf = [CChar](repeating: 0, count: 1024)
                    let n = swiftlet_peer_subject_entry(ssl, nid, i, &buf, buf.count)
                    guard n >= 0 else { return nil }
                    return String(decoding: buf[0..<Int(n)].map { UInt8(bitPattern: $0) }, as: UTF8.self)
                }
            }
            if let cn = entries(NID_commonName).first {
                result = ClientCertificate(commonName: cn, organizations: entries(NID_organizationName))
            }
        }
        identity = .some(result)
        return result
    }

    // MARK: dispatch and responses

    private func dispatch(_ head: RequestHead, body: [UInt8]) {
        disarm()
        phase = .processing
        let request = HTTPRequest(method: head.method, target: head.target, headers: head.headers, body: body,
                                  clientCertificate: clientIdentity, remoteAddress: remoteAddress,
                                  version: head.version)
        let keepAlive = head.keepAlive
        let started = ContinuousClock.now
        let core = self.core
        // Cheap answers (health probes, 401/404/405) skip the hop to a task and back: two thread wake-ups per
        // request that cost more than the answer itself.
        if let response = core.responder.respondInline(to: request) {
            if case .bytes(let bytes) = response.body {
                sendFixed(request, response, bytes, keepAlive: keepAlive, started: started)
            } else {
                Task { [self] in await self.complete(request, response, keepAlive: keepAlive, started: started) }
            }
            return
        }
        Task { [self] in
            let response = await core.responder.respond(to: request)
            await self.complete(request, response, keepAlive: keepAlive, started: started)
        }
    }

    /// Task side: carries out the response, going back to the loop thread for every byte written.
    private func complete(_ request: HTTPRequest, _ response: HTTPResponse, keepAlive: Bool,
                          started: ContinuousClock.Instant) async {
        let loop = core.loop
        switch response.body {
        case .bytes(let bytes):
            loop.submit { self.sendFixed(request, response, bytes, keepAlive: keepAlive, started: started) }
        case .stream(let produce):
            guard loop.submit({ self.beginStream(request, response, keepAlive: keepAlive, started: started) }) else {
                return
            }
            let writer = StreamWriter(connection: self)
            do { try await produce(writer) } catch {}
            loop.submit { self.endStream() }
        case .webSocket(let upgrade):
            switch WebSocketHandshake.validate(request, upgrade: upgrade) {
            case .failure(let error):
                let rendered = core.responder.render(error)
                if case .bytes(let bytes) = rendered.body {
                    loop.submit { self.sendFixed(request, rendered, bytes, keepAlive: false, started: started) }
                }
            case .success(let accepted):
                let ws = WebSocketConnection(connection: self, subprotocol: accepted.subprotocol)
                let ok = loop.submit {
                    self.beginWebSocket(request, response, accepted, ws, started: started)
                }
                guard ok else { return }
                await upgrade.handler(ws)
                await ws.close()
            }
        }
    }

    private func sendFixed(_ request: HTTPRequest, _ response: HTTPResponse, _ bytes: [UInt8], keepAlive: Bool,
                           started: ContinuousClock.Instant) {
        guard case .processing = phase else { return }
        let close = !keepAlive || core.shuttingDown
        let withBody = ResponseHead.hasBody(status: response.status, method: request.method)
        var out = ResponseHead.serialize(status: response.status, headers: response.headers,
                                         contentLength: response.status == 204 || response.status < 200 ? nil : bytes.count,
                                         chunked: false, close: close)
        if withBody { out.append(contentsOf: bytes) }
        writeBytes(out)
        core.logAccess(method: request.method, path: request.path, status: response.status,
                       bytes: withBody ? bytes.count : 0, started: started, remote: remoteAddress,
                       attributes: response.logAttributes)
        finishRequest(close: close)
    }

    private func finishRequest(close: Bool) {
        if close {
            beginClosing(linger: true)
            return
        }
        phase = .idle
        bufferevent_enable(bev, Int16(EV_READ))
        arm(config.idleTimeout)
        if evbuffer_get_length(bufferevent_get_input(bev)) > 0 { onReadable() }
    }

    /// Loop thread: a request-level error found while reading (400, 408, 413, 431, 501): answer and close.
    private func reject(_ error: HTTPError) {
        disarm()
        let response = core.responder.render(error)
        var bytes: [UInt8] = []
        if case .bytes(let b) = response.body { bytes = b }
        var out = ResponseHead.serialize(status: response.status, headers: response.headers,
                                         contentLength: bytes.count, chunked: false, close: true)
        out.append(contentsOf: bytes)
        writeBytes(out)
        core.logAccess(method: "-", path: "-", status: response.status, bytes: bytes.count,
                       started: .now, remote: remoteAddress, attributes: ["error": error.message])
        beginClosing(linger: true)
    }

    private func writeBytes(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        _ = bytes.withUnsafeBytes { bufferevent_write(bev, $0.baseAddress, $0.count) }
    }

    // MARK: streaming

    private func beginStream(_ request: HTTPRequest, _ response: HTTPResponse, keepAlive: Bool,
                             started: ContinuousClock.Instant) {
        guard case .processing = phase else { return }
        let chunkedEncoding = request.version == "HTTP/1.1"
        let keep = keepAlive && chunkedEncoding && !core.shuttingDown
        phase = .streaming
        currentStream = StreamState(method: request.method, path: request.path, status: response.status,
                                    started: started, attributes: response.logAttributes,
                                    chunked: chunkedEncoding, keepAlive: keep)
        writeBytes(ResponseHead.serialize(status: response.status, headers: response.headers, contentLength: nil,
                                          chunked: chunkedEncoding, close: !keep))
        // Keep reading so a client that disconnects is noticed (EOF) while the stream is quiet.
        bufferevent_enable(bev, Int16(EV_READ))
        // A stream that starts after shutdown began is ended at once, like the ones running at that moment.
        if core.shuttingDown { shutdownRequested() }
    }

    /// Loop thread: one chunk of a streaming body.
    func writeChunk(_ bytes: [UInt8], _ continuation: CheckedContinuation<Void, any Error>) {
        guard case .streaming = phase, var stream = currentStream, !stream.ended else {
            continuation.resume(throwing: HTTPClientGone())
            return
        }
        if stream.chunked {
            var framed = Array((String(bytes.count, radix: 16) + "\r\n").utf8)
            framed.append(contentsOf: bytes)
            framed.append(contentsOf: [13, 10])
            writeBytes(framed)
        } else {
            writeBytes(bytes)
        }
        stream.bytes += bytes.count
        currentStream = stream
        waitForDrain(continuation)
    }

    /// Loop thread: resumes now, or once the output buffer has drained if it is above the high watermark.
    func waitForDrain(_ continuation: CheckedContinuation<Void, any Error>) {
        if evbuffer_get_length(bufferevent_get_output(bev)) > config.outputHighWatermark {
            drainWaiters.append(continuation)
        } else {
            continuation.resume()
        }
    }

    /// Loop thread: the stream's producer returned (or the connection closed under it). Logs the request once.
    private func endStream() {
        guard let stream = currentStream else { return }
        currentStream = nil
        core.logAccess(method: stream.method, path: stream.path, status: stream.status, bytes: stream.bytes,
                       started: stream.started, remote: remoteAddress, attributes: stream.attributes)
        guard case .streaming = phase else { return }
        if stream.chunked && !stream.ended { writeBytes(Array("0\r\n\r\n".utf8)) }
        phase = .processing
        finishRequest(close: !stream.keepAlive || stream.ended || core.shuttingDown)
    }

    // MARK: WebSocket

    private func beginWebSocket(_ request: HTTPRequest, _ response: HTTPResponse,
                                _ accepted: WebSocketHandshake.Accepted, _ ws: WebSocketConnection,
                                started: ContinuousClock.Instant) {
        guard case .processing = phase else {
            ws.finish()
            return
        }
        var headers = response.headers
        headers.set("Upgrade", "websocket")
        headers.set("Sec-WebSocket-Accept", accepted.acceptKey)
        if let p = accepted.subprotocol { headers.set("Sec-WebSocket-Protocol", p) }
        var out = "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\n"
        for (name, value) in headers where !HTTPHeaders.equal(name, "Connection") { out += "\(name): \(value)\r\n" }
        out += "\r\n"
        writeBytes(Array(out.utf8))
        core.logAccess(method: request.method, path: request.path, status: 101, bytes: 0, started: started,
                       remote: remoteAddress, attributes: response.logAttributes.merging(
                        ["subprotocol": accepted.subprotocol ?? ""]) { a, _ in a })
        phase = .webSocket
        webSocket = WebSocketSession(connection: self, inbox: ws, maxMessageBytes: accepted.maxMessageBytes)
        if core.shuttingDown { webSocket?.initiateClose(code: 1001, reason: "server shutting down") }
        bufferevent_enable(bev, Int16(EV_READ))
        onReadable()
    }

    /// Loop thread, WebSocket: queue a frame.
    func sendFrame(_ frame: [UInt8]) { writeBytes(frame) }

    /// Loop thread, WebSocket: the close handshake finished or failed; flush and close (bounded by a timer).
    func closeAfterWebSocket() {
        beginClosing(linger: false)
    }

    /// Loop thread, WebSocket: waiting for the peer's Close after ours.
    func armCloseTimeout() { arm(.seconds(2)) }

    // MARK: closing

    private func beginClosing(linger: Bool) {
        if case .closed = phase { return }
        if case .closing = phase { return }
        phase = .closing(linger: linger)
        disarm()
        arm(.seconds(2))
        if evbuffer_get_length(bufferevent_get_output(bev)) == 0 { finishClosing(linger: linger) }
    }

    private var lingering = false

    /// Output flushed. Half-close and read until the peer's FIN (bounded by the timer) so a client still sending
    /// (e.g. an oversized body) receives our error response instead of a reset.
    private func finishClosing(linger: Bool) {
        guard linger, !lingering else {
            if !lingering { closeNow() }
            return
        }
        lingering = true
        shutdown(fd, Int32(SHUT_WR))
        bufferevent_enable(bev, Int16(EV_READ))
        evbuffer_drain(bufferevent_get_input(bev), evbuffer_get_length(bufferevent_get_input(bev)))
    }

    /// Loop thread: release everything now. Waiters are resumed with HTTPClientGone.
    func closeNow() {
        if case .closed = phase { return }
        phase = .closed
        connected.withLock { $0 = false }
        if let timer { event_free(timer) }
        timer = nil
        bufferevent_free(bev)
        let waiters = drainWaiters
        drainWaiters.removeAll()
        for w in waiters { w.resume(throwing: HTTPClientGone()) }
        currentStream?.ended = true
        webSocket?.connectionClosed()
        webSocket = nil
        core.remove(self)
    }

    /// Loop thread: graceful shutdown started.
    func shutdownRequested() {
        switch phase {
        case .idle:
            closeNow()
        case .readingHead where evbuffer_get_length(bufferevent_get_input(bev)) == 0:
            // Accepted (maybe mid-handshake) but no request bytes yet: as good as idle.
            closeNow()
        case .streaming:
            // The writer's next write throws HTTPClientGone; endStream then terminates the chunked body.
            currentStream?.ended = true
            connected.withLock { $0 = false }
            if let stream = currentStream, stream.chunked { writeBytes(Array("0\r\n\r\n".utf8)) }
            let waiters = drainWaiters
            drainWaiters.removeAll()
            for w in waiters { w.resume(throwing: HTTPClientGone()) }
        case .webSocket:
            webSocket?.initiateClose(code: 1001, reason: "server shutting down")
        default:
            break
        }
    }
}

/// Writes a streaming body through the loop thread.
struct StreamWriter: BodyWriter {
    let connection: Connection

    func write(_ bytes: [UInt8]) async throws {
        guard isClientConnected else { throw HTTPClientGone() }
        if bytes.isEmpty { return }
        let connection = self.connection
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            if !connection.core.loop.submit({ connection.writeChunk(bytes, continuation) }) {
                continuation.resume(throwing: HTTPClientGone())
            }
        }
    }

    var isClientConnected: Bool { connection.connected.withLock { $0 } }
}
