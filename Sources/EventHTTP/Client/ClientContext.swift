import CLibevent

/// What the client's exchanges share on the loop thread: the TLS context, the resolver and the exchanges in flight
/// (which it keeps alive while libevent holds unretained pointers to them).
///
/// Loop-thread confined: created before the thread starts, then touched only by jobs and callbacks on it.
final class ClientContext: @unchecked Sendable {
    let base: OpaquePointer
    private var exchanges: [ObjectIdentifier: ClientExchange] = [:]
    private var repeating: [ObjectIdentifier: RepeatingState] = [:]
    private var tlsContext: OpaquePointer?
    private var dnsBase: OpaquePointer?
    private var dnsTried = false
    private var stopped = false
    /// Where exchanges read response bytes into: one buffer for the loop thread instead of one per exchange.
    private let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: ClientContext.scratchSize, alignment: 8)

    /// The bytes an exchange reads at a time.
    static let scratchSize = 16 * 1024

    init(base: OpaquePointer) {
        self.base = base
    }

    deinit { scratch.deallocate() }

    /// Runs `body` with the loop thread's read buffer (`scratchSize` bytes); its contents do not outlive the call.
    func withScratch<R>(_ body: (UnsafeMutableRawBufferPointer) -> R) -> R { body(scratch) }

    /// True once `shutDown` ran: nothing new may start on `base`.
    var isShutDown: Bool { stopped }

    /// Starts `exchange`; `completion` runs once, on the loop thread.
    func start(_ exchange: ClientExchange, completion: @escaping (Result<HTTPClientResponse?, HTTPClientError>) -> Void) {
        guard !stopped else {
            completion(.failure(HTTPClientError(.unavailable, "the HTTP client is shut down")))
            return
        }
        exchanges[ObjectIdentifier(exchange)] = exchange
        exchange.start(in: self) { [weak self] result in
            self?.exchanges[ObjectIdentifier(exchange)] = nil
            completion(result)
        }
    }

    /// Ends `exchange` with `cancelled` (or marks it so that it ends as soon as it starts).
    func cancel(_ exchange: ClientExchange) {
        exchange.fail(HTTPClientError(.cancelled, "the request was cancelled"))
    }

    /// Keeps a repeating request alive while its timer is armed.
    func retain(_ state: RepeatingState) { repeating[ObjectIdentifier(state)] = state }

    /// Lets a stopped repeating request go.
    func release(_ state: RepeatingState) { repeating[ObjectIdentifier(state)] = nil }

    /// Ends every exchange and repeating request and releases the TLS context and resolver. Idempotent.
    func shutDown() {
        guard !stopped else { return }
        stopped = true
        for state in Array(repeating.values) { state.cancel() }
        repeating.removeAll()
        for exchange in Array(exchanges.values) {
            exchange.fail(HTTPClientError(.unavailable, "the HTTP client is shutting down"))
        }
        exchanges.removeAll()
        if let tlsContext { SSL_CTX_free(tlsContext) }
        tlsContext = nil
        if let dnsBase { evdns_base_free(dnsBase, 1) }
        dnsBase = nil
    }

    /// The shared TLS client context, created on first use.
    func sslContext() -> OpaquePointer? {
        if tlsContext == nil { tlsContext = swiftlet_tls_client_context() }
        return tlsContext
    }

    /// The asynchronous resolver (nameservers and hosts file from the system), created on first use; nil when it
    /// cannot be set up, in which case libevent resolves with getaddrinfo on the loop thread.
    func resolver() -> OpaquePointer? {
        if !dnsTried {
            dnsTried = true
            dnsBase = evdns_base_new(base, EVDNS_BASE_INITIALIZE_NAMESERVERS)
        }
        return dnsBase
    }
}
