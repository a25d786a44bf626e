import EventHTTP
/// Bounds concurrent streams in total and per client. A slot is held by a `StreamLease` and released when the
/// lease is released or dropped, so a slot cannot leak when an upgrade never reaches its handler.
public final class StreamLimiter: Sendable {
    /// Most streams open at once on the node.
    public let maxTotal: Int
    /// Most streams open at once for one client key.
    public let maxPerClient: Int
    private let counts = Locked<(total: Int, perClient: [String: Int])>((0, [:]))

    /// A limiter with the given bounds (each at least 1).
    public init(maxTotal: Int, maxPerClient: Int) {
        self.maxTotal = max(1, maxTotal)
        self.maxPerClient = max(1, maxPerClient)
    }

    /// Why a slot was refused.
    public enum Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        /// The node-wide bound is reached.
        case node(limit: Int)
        /// This client's bound is reached.
        case client(limit: Int)

        /// Human-readable description.
        public var description: String {
            switch self {
            case .node(let limit): return "too many concurrent streams on this node (limit \(limit))"
            case .client(let limit): return "too many concurrent streams for this client (limit \(limit))"
            }
        }
    }

    /// Takes a slot for `client`, or throws `Refusal`.
    public func acquire(client: String) throws -> StreamLease {
        try counts.withLock { state in
            guard state.total < maxTotal else { throw Refusal.node(limit: maxTotal) }
            let mine = state.perClient[client, default: 0]
            guard mine < maxPerClient else { throw Refusal.client(limit: maxPerClient) }
            state.total += 1
            state.perClient[client] = mine + 1
        }
        return StreamLease(limiter: self, client: client)
    }

    /// Streams currently open (for tests and metrics).
    public var activeStreams: Int { counts.withLock { $0.total } }

    func release(client: String) {
        counts.withLock { state in
            state.total -= 1
            let left = state.perClient[client, default: 1] - 1
            state.perClient[client] = left > 0 ? left : nil
        }
    }
}

/// One held stream slot; released exactly once, at the latest when the lease is deallocated.
public final class StreamLease: Sendable {
    private let limiter: StreamLimiter
    private let client: String
    private let released = Locked(false)

    init(limiter: StreamLimiter, client: String) {
        self.limiter = limiter
        self.client = client
    }

    /// Gives the slot back (idempotent).
    public func release() {
        let first = released.withLock { done -> Bool in
            defer { done = true }
            return !done
        }
        if first { limiter.release(client: client) }
    }

    deinit { release() }
}
