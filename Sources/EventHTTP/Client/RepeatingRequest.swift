import CLibevent

/// What a repeating request does after a round's result.
public enum HTTPRoundDecision: Sendable {
    /// The round is over; the next one starts a period after this one started.
    case next
    /// Send this request at once, within the same round's deadline (a redirect to follow).
    case follow(HTTPClientRequest)
    /// No more rounds.
    case stop
}

/// What a repeating request sends each round.
public enum HTTPRoundTarget: Sendable {
    /// A GET.
    case request(HTTPClientRequest)
    /// A bare TCP connect to `host:port`, closed at once.
    case connect(host: String, port: Int)
}

/// One round's outcome: the response (nil for a bare connect) or the error, and how long the round has taken.
public typealias HTTPRoundResult = (result: Result<HTTPClientResponse?, HTTPClientError>, elapsed: Duration)

/// A request `HTTPClient` sends once per period on its loop thread, for a probe: no task, timer or thread hop per
/// round, only the loop's own timer and the exchange's callbacks. `cancel()` ends it; a round in flight is abandoned
/// and its result is not delivered.
public final class RepeatingRequest: Sendable {
    private let loop: EventLoop
    private let state: RepeatingState

    init(loop: EventLoop, state: RepeatingState) {
        self.loop = loop
        self.state = state
    }

    /// Stops the rounds. Idempotent; returns before the loop thread has acted on it.
    public func cancel() {
        let state = self.state
        loop.submit { state.cancel() }
    }
}

extension HTTPClient {
    /// Sends `target` after `firstDelay`, then every `period` measured from each round's start (kubelet's probe
    /// ticker; a round that overran its period is followed by the next one a period after it ended), each round
    /// bounded by `timeout`, and calls `onRound` with every round's result on the client's loop thread.
    ///
    /// `onRound` must return quickly and must not block: every probe of the node shares the thread. It is only
    /// ever called on that thread, never from within this call, so a caller may hold its own locks here.
    ///
    /// Returns nil, and never calls `onRound`, when the client could not start or is shut down; a client that shuts
    /// down after this returned delivers one `unavailable` result and stops.
    public func repeating(
        _ target: HTTPRoundTarget, firstDelay: Duration, period: Duration, timeout: Duration, maxBodyBytes: Int,
        onRound: @escaping @Sendable (HTTPRoundResult) -> HTTPRoundDecision
    ) -> RepeatingRequest? {
        guard let loop = eventLoop, let context = clientContext else { return nil }
        let state = RepeatingState(
            context: context, target: target, period: max(period, .milliseconds(1)), timeout: timeout,
            maxBodyBytes: maxBodyBytes, onRound: onRound)
        guard loop.submit({ state.start(after: firstDelay) }) else { return nil }
        return RepeatingRequest(loop: loop, state: state)
    }
}

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
