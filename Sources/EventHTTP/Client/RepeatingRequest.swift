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
