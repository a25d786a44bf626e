import CLibevent

/// The loop-thread side of a `RepeatingRequest`: its timer, the round in flight and the rules between rounds.
///
/// Loop-thread confined after `start`; `@unchecked Sendable` only lets the submitting task carry it into the job.
final class RepeatingState: @unchecked Sendable {
    private let context: ClientContext
    private let target: HTTPRoundTarget
    private let period: Duration
    private let timeout: Duration
    private let maxBodyBytes: Int
    private let onRound: @Sendable (HTTPRoundResult) -> HTTPRoundDecision
    private var timer: OpaquePointer?
    private var inFlight: ClientExchange?
    private var roundStarted = ContinuousClock.now
    private var firstRequestBytes: Result<[UInt8], HTTPClientError>?
    private var stopped = false

    init(context: ClientContext, target: HTTPRoundTarget, period: Duration, timeout: Duration, maxBodyBytes: Int,
         onRound: @escaping @Sendable (HTTPRoundResult) -> HTTPRoundDecision) {
        self.context = context
        self.target = target
        self.period = period
        self.timeout = timeout
        self.maxBodyBytes = maxBodyBytes
        self.onRound = onRound
    }

    func start(after delay: Duration) {
        guard !stopped else { return }
        // Submitted before a shutdown that ran first: the context's base is going away, so no timer on it.
        guard !context.isShutDown else {
            stopped = true
            _ = onRound((.failure(HTTPClientError(.unavailable, "the HTTP client is shut down")), .zero))
            return
        }
        let arg = Unmanaged.passUnretained(self).toOpaque()
        timer = event_new(context.base, -1, 0, { _, _, arg in
            guard let arg else { return }
            let state = Unmanaged<RepeatingState>.fromOpaque(arg).takeUnretainedValue()
            withExtendedLifetime(state) { state.beginRound() }
        }, arg)
        guard timer != nil else {
            stopped = true
            _ = onRound((.failure(HTTPClientError(.unavailable, "cannot create a timer")), .zero))
            return
        }
        // The context keeps this state alive until it stops: libevent only holds an unretained pointer.
        context.retain(self)
        arm(after: delay)
    }

    func cancel() {
        guard !stopped else { return }
        stop()
        inFlight?.fail(HTTPClientError(.cancelled, "the repeating request was cancelled"))
        inFlight = nil
    }

    private func stop() {
        stopped = true
        if let timer { event_free(timer) }
        timer = nil
        context.release(self)
    }

    private func arm(after delay: Duration) {
        guard let timer else { return }
        var tv = Connection.timeval(max(delay, .microseconds(1)))
        event_add(timer, &tv)
    }

    private func beginRound() {
        guard !stopped else { return }
        roundStarted = ContinuousClock.now
        switch target {
        case .request(let request):
            // The same request every round: its bytes are worked out once.
            if firstRequestBytes == nil { firstRequestBytes = Result { () throws(HTTPClientError) in try request.serialized() } }
            send(request, bytes: firstRequestBytes, within: timeout)
        case .connect(let host, let port):
            launch(ClientExchange(host: host, port: port, tls: false, mode: .connectOnly, timeout: timeout))
        }
    }

    /// Sends `request`, whose `bytes` are given when known (the round's own request) or serialized here (a
    /// redirect to follow).
    private func send(_ request: HTTPClientRequest, bytes known: Result<[UInt8], HTTPClientError>? = nil,
                      within budget: Duration) {
        let bytes: [UInt8]
        do {
            bytes = try (known ?? Result { () throws(HTTPClientError) in try request.serialized() }).get()
        } catch {
            finishRound(.failure(error))
            return
        }
        launch(ClientExchange(
            host: request.host, port: request.port, tls: request.scheme == .https,
            mode: .request(bytes, maxBodyBytes: maxBodyBytes), timeout: budget))
    }

    private func launch(_ exchange: ClientExchange) {
        inFlight = exchange
        context.start(exchange) { [weak self] result in
            guard let self, self.inFlight === exchange, !self.stopped else { return }
            self.inFlight = nil
            self.finishRound(result)
        }
    }

    private func finishRound(_ result: Result<HTTPClientResponse?, HTTPClientError>) {
        let now = ContinuousClock.now
        let elapsed = now - roundStarted
        switch onRound((result, elapsed)) {
        case .stop:
            stop()
        case .follow(let next):
            // A follow-up shares the round's deadline; one that has none left fails at once by its own timer.
            send(next, within: max(timeout - elapsed, .microseconds(1)))
        case .next:
            guard !stopped else { return }
            var next = roundStarted + period
            if next < now { next = now + period }
            arm(after: next - now)
        }
    }
}
