import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// One HTTP GET as kubelet's probes and lifecycle hooks send it.
struct HTTPProbeRequest: Sendable, Equatable {
    /// `http` or `https`.
    var scheme: String
    var host: String
    var port: Int
    /// Starts with `/`; may carry a query.
    var path: String
    /// Sent in this order; `Host`, `User-Agent` and `Accept` given here replace the defaults.
    var headers: [(name: String, value: String)]

    static func == (lhs: HTTPProbeRequest, rhs: HTTPProbeRequest) -> Bool {
        lhs.scheme == rhs.scheme && lhs.host == rhs.host && lhs.port == rhs.port && lhs.path == rhs.path
            && lhs.headers.map(\.name) == rhs.headers.map(\.name) && lhs.headers.map(\.value) == rhs.headers.map(\.value)
    }

    /// `scheme://host:port/path`, with IPv6 hosts in brackets: the text kubelet puts in its messages.
    var url: String { "\(scheme)://\(hostForURL):\(port)\(path)" }

    var hostForURL: String { host.contains(":") ? "[\(host)]" : host }
}

/// The start of a response and at most `HTTPProbeClient.maxBodyBytes` of its body.
struct HTTPProbeResponse: Sendable, Equatable {
    var status: Int
    var location: String?
    var body: [UInt8]
    var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// Why a probe request got no response.
struct HTTPProbeError: Error, Sendable, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// A minimal HTTP/1.1 client on SwiftNIO's shared event loops: one connection per request (kubelet disables
/// keep-alive for probes too), HTTPS without certificate verification (kubelet's probes do not verify either), a
/// deadline over connect + request + response head + body, and a bounded body read.
enum HTTPProbeClient {
    /// kubelet reads at most 10 KiB of a probe's response body.
    static let maxBodyBytes = 10 * 1024

    /// Created once: building a TLS context loads OpenSSL state, which 110 pods probing every 10 s should not
    /// repeat. Immutable after creation.
    static let tlsContext: Result<NIOSSLContext, any Error> = Result {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = .none
        return try NIOSSLContext(configuration: configuration)
    }

    /// Sends `request` and returns the response; throws `HTTPProbeError` when there is none within `timeout`.
    static func get(_ request: HTTPProbeRequest, timeout: Duration) async throws -> HTTPProbeResponse {
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let promise = loop.makePromise(of: HTTPProbeResponse.self)
        let head = requestHead(request)
        let tls: NIOSSLContext?
        if request.scheme == "https" {
            switch tlsContext {
            case .success(let context): tls = context
            case .failure(let error): throw HTTPProbeError(message: "cannot set up TLS: \(error)")
            }
        } else {
            tls = nil
        }
        let serverName = isIPAddress(request.host) ? nil : request.host
        let timeoutAmount = TimeAmount.nanoseconds(max(1, timeout.nanoseconds))
        let bootstrap = ClientBootstrap(group: loop)
            .connectTimeout(timeoutAmount)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        try channel.pipeline.syncOperations.addHandler(
                            try NIOSSLClientHandler(context: tls, serverHostname: serverName))
                    }
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(ProbeResponseHandler(head: head, promise: promise))
                }
            }
        let deadline = loop.scheduleTask(in: timeoutAmount) {
            promise.fail(HTTPProbeError(message: "timeout after \(timeout.goString) awaiting the response"))
        }
        // Probes almost always target an IP (the pod IP, or the loopback for host-network pods): connecting to the
        // address directly skips NIO's resolver thread hop and happy-eyeballs machinery, which a profile with 110
        // probed pods showed at about a third of the probe client's CPU.
        let connected: EventLoopFuture<any Channel>
        if let address = try? SocketAddress(ipAddress: request.host, port: request.port) {
            connected = bootstrap.connect(to: address)
        } else {
            connected = bootstrap.connect(host: request.host, port: request.port)
        }
        connected.whenFailure { error in promise.fail(HTTPProbeError(message: "dial tcp \(request.hostForURL):\(request.port): \(error)")) }
        defer {
            deadline.cancel()
            connected.whenSuccess { channel in channel.close(promise: nil) }
        }
        return try await promise.futureResult.get()
    }

    static func requestHead(_ request: HTTPProbeRequest) -> HTTPRequestHead {
        var headers = HTTPHeaders()
        let given = Set(request.headers.map { $0.name.lowercased() })
        if !given.contains("host") { headers.add(name: "Host", value: "\(request.hostForURL):\(request.port)") }
        for header in request.headers { headers.add(name: header.name, value: header.value) }
        headers.add(name: "Connection", value: "close")
        return HTTPRequestHead(version: .http1_1, method: .GET, uri: request.path, headers: headers)
    }

    static func isIPAddress(_ host: String) -> Bool {
        (try? SocketAddress(ipAddress: host, port: 0)) != nil
    }
}

/// Writes the request when the connection is up, collects the response head and a bounded body, and completes
/// the promise at the end of the response (or with the error that ended the connection).
private final class ProbeResponseHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    private let head: HTTPRequestHead
    private let promise: EventLoopPromise<HTTPProbeResponse>
    private var response: HTTPProbeResponse?

    init(head: HTTPRequestHead, promise: EventLoopPromise<HTTPProbeResponse>) {
        self.head = head
        self.promise = promise
    }

    func channelActive(context: ChannelHandlerContext) {
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            response = HTTPProbeResponse(status: Int(head.status.code), location: head.headers.first(name: "Location"), body: [])
        case .body(let buffer):
            guard var current = response else { return }
            let room = HTTPProbeClient.maxBodyBytes - current.body.count
            if room > 0 {
                current.body.append(contentsOf: buffer.readableBytesView.prefix(room))
                response = current
            }
        case .end:
            if let response { promise.succeed(response) }
            context.close(promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        promise.fail(HTTPProbeError(message: "\(error)"))
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        // A server that closes without ending the response; a response with no length ends here too.
        if let response {
            promise.succeed(response)
        } else {
            promise.fail(HTTPProbeError(message: "the connection closed before a response arrived (EOF)"))
        }
        context.fireChannelInactive()
    }
}
