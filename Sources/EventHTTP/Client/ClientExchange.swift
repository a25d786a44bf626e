import CLibevent
import Glibc
import SystemSupport

/// One request on its own connection, driven by libevent callbacks: resolve (for names), connect, TLS, write,
/// read and parse, under one deadline.
///
/// Created by the calling task, then touched only on the loop thread (the submit queue's lock orders the hand-over).
/// libevent holds an unretained pointer to it; `ClientContext` keeps it alive until it completes.
final class ClientExchange: @unchecked Sendable {
    enum Mode {
        /// Send these request bytes and read the response, keeping at most `maxBodyBytes` of its body.
        case request([UInt8], maxBodyBytes: Int)
        /// Only establish the TCP connection.
        case connectOnly
    }

    let host: String
    let port: Int
    let tls: Bool
    let mode: Mode
    let timeout: Duration

    private var bev: OpaquePointer?
    private var timer: OpaquePointer?
    private var parser: HTTPResponseParser
    private var connected = false
    private var finished = false
    /// Set by a cancellation that arrived before `start`.
    private var pendingFailure: HTTPClientError?
    private var completion: ((Result<HTTPClientResponse?, HTTPClientError>) -> Void)?
    /// Set by `start`; weak because the context holds the exchange while it runs.
    private weak var context: ClientContext?

    init(host: String, port: Int, tls: Bool, mode: Mode, timeout: Duration) {
        self.host = host
        self.port = port
        self.tls = tls
        self.mode = mode
        self.timeout = timeout
        if case .request(_, let maxBodyBytes) = mode {
            parser = HTTPResponseParser(maxBodyBytes: maxBodyBytes)
        } else {
            parser = HTTPResponseParser(maxBodyBytes: 0)
        }
    }

    /// Starts connecting; `completion` runs exactly once.
    func start(in context: ClientContext, completion: @escaping (Result<HTTPClientResponse?, HTTPClientError>) -> Void) {
        self.completion = completion
        self.context = context
        if let pendingFailure {
            finish(.failure(pendingFailure))
            return
        }
        let arg = Unmanaged.passUnretained(self).toOpaque()
        timer = event_new(context.base, -1, 0, { _, _, arg in
            guard let arg else { return }
            let exchange = Unmanaged<ClientExchange>.fromOpaque(arg).takeUnretainedValue()
            withExtendedLifetime(exchange) { exchange.timedOut() }
        }, arg)
        guard let timer else {
            finish(.failure(HTTPClientError(.unavailable, "cannot create a timer")))
            return
        }
        var deadline = Connection.timeval(max(timeout, .microseconds(1)))
        event_add(timer, &deadline)

        // An address literal (the usual probe target) is connected here rather than by libevent, so that a refusal
        // reported at once by connect(2) keeps its errno; libevent would report it later with errno lost.
        let address = IPAddress(host)
        var fd: Int32 = -1
        if let address {
            fd = socket(address.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else {
                finish(.failure(HTTPClientError(.connect, "socket: \(Self.errorText(errno))")))
                return
            }
            let result = address.withSocketAddress(port: port) { Glibc.connect(fd, $0, socklen_t($1)) }
            if result != 0 && errno != EINPROGRESS {
                let code = errno
                Glibc.close(fd)
                finish(.failure(HTTPClientError(.connect, "connect: \(Self.errorText(code))")))
                return
            }
        }
        if tls {
            guard let sslContext = context.sslContext(), let ssl = SSL_new(sslContext) else {
                if fd >= 0 { Glibc.close(fd) }
                finish(.failure(HTTPClientError(.tls, "cannot set up TLS: \(Self.openSSLError())")))
                return
            }
            if address == nil { _ = swiftlet_ssl_set_server_name(ssl, host) }
            bev = bufferevent_openssl_socket_new(
                context.base, fd, ssl, BUFFEREVENT_SSL_CONNECTING, Int32(BEV_OPT_CLOSE_ON_FREE.rawValue))
            if let bev { bufferevent_openssl_set_allow_dirty_shutdown(bev, 1) } else { SSL_free(ssl) }
        } else {
            bev = bufferevent_socket_new(context.base, fd, Int32(BEV_OPT_CLOSE_ON_FREE.rawValue))
        }
        guard let bev else {
            if fd >= 0 { Glibc.close(fd) }
            finish(.failure(HTTPClientError(.unavailable, "cannot create a connection")))
            return
        }
        bufferevent_setcb(bev, { _, arg in
            guard let arg else { return }
            let exchange = Unmanaged<ClientExchange>.fromOpaque(arg).takeUnretainedValue()
            withExtendedLifetime(exchange) { exchange.readable() }
        }, nil, { _, what, arg in
            guard let arg else { return }
            let exchange = Unmanaged<ClientExchange>.fromOpaque(arg).takeUnretainedValue()
            withExtendedLifetime(exchange) { exchange.event(what) }
        }, arg)

        let started: Int32
        if address != nil {
            // The socket is connecting: libevent reports CONNECTED (after the TLS handshake, for TLS) or ERROR.
            started = tls ? 0 : bufferevent_socket_connect(bev, nil, 0)
        } else {
            // Names resolve to IPv4 only: libevent connects to the first address it gets, and the pod networks this
            // agent sets up are IPv4, so an IPv6 answer first (localhost's ::1) would refuse a server kubelet reaches.
            started = bufferevent_socket_connect_hostname(bev, context.resolver(), AF_INET, host, Int32(port))
        }
        if started != 0 && !finished {
            finish(.failure(HTTPClientError(.connect, "connect: \(Self.errorText(errno))")))
        }
    }

    /// Ends the exchange with `error` unless it has ended; before `start` it is remembered instead.
    func fail(_ error: HTTPClientError) {
        if completion == nil {
            if pendingFailure == nil { pendingFailure = error }
            return
        }
        finish(.failure(error))
    }

    // MARK: Callbacks

    private func event(_ what: Int16) {
        guard !finished, let bev else { return }
        if what & Int16(BEV_EVENT_CONNECTED) != 0 {
            connected = true
            switch mode {
            case .connectOnly:
                finish(.success(nil))
            case .request(let bytes, _):
                _ = bytes.withUnsafeBytes { bufferevent_write(bev, $0.baseAddress, $0.count) }
                bufferevent_enable(bev, Int16(EV_READ | EV_WRITE))
            }
            return
        }
        if what & Int16(BEV_EVENT_EOF) != 0 {
            // Before CONNECTED this is a failed connect or handshake: with dirty shutdowns allowed, libevent reports
            // a refused TLS connect as EOF, and the reason is on the socket, not in the parser.
            guard connected else {
                finish(.failure(failureOnError(bev)))
                return
            }
            readable()
            guard !finished else { return }
            conclude(parser.finish())
            return
        }
        if what & Int16(BEV_EVENT_ERROR) != 0 {
            finish(.failure(failureOnError(bev)))
        }
    }

    private func readable() {
        guard !finished, let bev, let context else { return }
        let input = bufferevent_get_input(bev)
        while true {
            let available = evbuffer_get_length(input)
            if available == 0 { return }
            let take = min(available, ClientContext.scratchSize)
            let progress = context.withScratch { scratch -> HTTPResponseParser.Progress? in
                let read = evbuffer_remove(input, scratch.baseAddress, take)
                guard read > 0 else { return nil }
                return parser.feed(UnsafeRawBufferPointer(rebasing: scratch[0..<Int(read)]))
            }
            guard let progress else { return }
            if progress.isFinal {
                conclude(progress)
                return
            }
        }
    }

    private func timedOut() {
        guard !finished else { return }
        finish(.failure(HTTPClientError(.timeout, "timeout after \(timeout) awaiting \(connected ? "the response" : "the connection")")))
    }

    private func conclude(_ progress: HTTPResponseParser.Progress) {
        switch progress {
        case .needMore:
            return
        case .complete:
            finish(.success(HTTPClientResponse(
                status: parser.status, headers: parser.headers, body: parser.body, bodyTruncated: parser.truncated)))
        case .failed(let reason):
            let kind: HTTPClientError.Kind = reason.hasSuffix("EOF") ? .connectionLost : .malformedResponse
            finish(.failure(HTTPClientError(kind, reason)))
        }
    }

    /// Go's wording for what went wrong before or during the exchange.
    private func failureOnError(_ bev: OpaquePointer) -> HTTPClientError {
        let code = swiftlet_socket_error(bufferevent_getfd(bev))
        let dnsError = bufferevent_socket_get_dns_error(bev)
        if dnsError != 0 {
            return HTTPClientError(.resolve, "lookup \(host): \(String(cString: evutil_gai_strerror(dnsError)))")
        }
        // The bufferevent hands its queued errors back newest first: OpenSSL's own, which name the reason ("wrong
        // version number"), and the bare SSL_get_error codes libevent queues too (library 0: SSL_ERROR_SYSCALL
        // for a refused connect, say), which name none; the socket's errno says more then.
        var reason: UInt = 0
        while case let error = bufferevent_get_openssl_error(bev), error != 0 {
            if reason == 0 && error >= Self.firstLibraryError { reason = error }
        }
        if tls && reason != 0 {
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(reason, &buffer, buffer.count)
            return HTTPClientError(.tls, "tls: \(String(cBuffer: buffer))")
        }
        if !connected { return HTTPClientError(.connect, "connect: \(Self.errorText(code))") }
        if tls && code == 0 {
            return HTTPClientError(.tls, "tls: the handshake or the connection failed")
        }
        return HTTPClientError(.connectionLost, "read: \(Self.errorText(code))")
    }

    /// Releases the connection and the timer and reports `result`, once.
    private func finish(_ result: Result<HTTPClientResponse?, HTTPClientError>) {
        guard !finished else { return }
        finished = true
        if let timer { event_free(timer) }
        timer = nil
        if let bev {
            bufferevent_setcb(bev, nil, nil, nil, nil)
            bufferevent_free(bev)
        }
        bev = nil
        let completion = self.completion
        self.completion = nil
        completion?(result)
    }

    /// OpenSSL 3 packs the library number above bit 23; below it are libevent's bare SSL_get_error codes.
    private static let firstLibraryError: UInt = 1 << 23

    private static func errorText(_ code: Int32) -> String {
        code == 0 ? "connection failed" : String(cString: strerror(code)).lowercased()
    }

    private static func openSSLError() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        swiftlet_ssl_error_string(&buffer, buffer.count)
        return String(cBuffer: buffer)
    }
}
