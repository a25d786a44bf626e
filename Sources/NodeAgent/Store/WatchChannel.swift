/// The bounded queue between the store (producer, never blocked) and one watch consumer.
///
/// The store sends under its actor and must never wait on a consumer, so `send` is synchronous and only appends.
/// When the live backlog would exceed the limit, the channel appends one final `.error(.tooSlow)` and closes:
/// the consumer still receives everything queued before it, in order, then the error, then the end.
/// One consumer at a time (an AsyncIterator is not shared).
final class WatchChannel<Object: StoredObject>: Sendable {
    typealias Event = StoreWatchEvent<Object>
    typealias Waiter = CheckedContinuation<Event?, Never>

    /// What happened to a sent event.
    enum SendResult: Equatable {
        /// Queued (or skipped, for a bookmark that found the buffer full).
        case queued
        /// The buffer overflowed: the channel queued its final error and closed.
        case overflowed
        /// The channel had already closed; the watcher should be forgotten.
        case closed
    }

    private struct State {
        var buffer: [Event] = []
        var head = 0
        /// Initial events (synthetic ADDED, replay) still queued; they do not count against the limit.
        var initialPending = 0
        /// No more sends accepted; the consumer gets what is queued, then nil.
        var closed = false
        var waiter: Waiter?
        var onTermination: (@Sendable () -> Void)?

        var liveBacklog: Int { buffer.count - head - initialPending }

        mutating func pop() -> Event? {
            guard head < buffer.count else { return nil }
            let event = buffer[head]
            head += 1
            if initialPending > 0 { initialPending -= 1 }
            if head == buffer.count {
                buffer.removeAll(keepingCapacity: true)
                head = 0
            } else if head >= 512 && head * 2 >= buffer.count {
                // Compact now and then so a long-lived watch does not keep every delivered event.
                buffer.removeFirst(head)
                head = 0
            }
            return event
        }

        /// If the consumer is waiting and something is ready for it (an event, or the end), detaches the waiter
        /// together with what to resume it with.
        mutating func handOff() -> (Waiter, Event?)? {
            guard let waiter else { return nil }
            if let event = pop() {
                self.waiter = nil
                return (waiter, event)
            }
            if closed {
                self.waiter = nil
                return (waiter, nil)
            }
            return nil
        }
    }

    /// The largest live backlog a consumer may have.
    let limit: Int
    private let state = StoreLock(State())

    init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Installs the callback that runs once when the channel ends for whatever reason.
    func setOnTermination(_ callback: @escaping @Sendable () -> Void) {
        state.withLock { $0.onTermination = callback }
    }

    /// Whether the channel accepts no more events.
    var isClosed: Bool { state.withLock { $0.closed } }

    /// Queues the events a watch starts with; they may exceed the limit.
    func sendInitial(_ events: [Event]) {
        guard !events.isEmpty else { return }
        let ready = state.withLock { state -> (Waiter, Event?)? in
            guard !state.closed else { return nil }
            state.buffer.append(contentsOf: events)
            state.initialPending += events.count
            return state.handOff()
        }
        if let (waiter, event) = ready { waiter.resume(returning: event) }
    }

    /// Queues a live event without ever blocking. A bookmark that finds the buffer full is skipped rather than
    /// treated as an overflow: it carries no data, and the next one will do.
    func send(_ event: Event, isBookmark: Bool = false) -> SendResult {
        let (result, ready) = state.withLock { state -> (SendResult, (Waiter, Event?)?) in
            guard !state.closed else { return (.closed, nil) }
            if state.liveBacklog >= limit {
                if isBookmark { return (.queued, nil) }
                state.buffer.append(.error(.tooSlow(bufferLimit: limit)))
                state.closed = true
                return (.overflowed, state.handOff())
            }
            state.buffer.append(event)
            return (.queued, state.handOff())
        }
        if let (waiter, event) = ready { waiter.resume(returning: event) }
        return result
    }

    /// Ends the watch from the producer side, after `final` (if any) and everything already queued.
    func finish(with final: Event? = nil) {
        let ready = state.withLock { state -> (Waiter, Event?)? in
            guard !state.closed else { return nil }
            if let final { state.buffer.append(final) }
            state.closed = true
            return state.handOff()
        }
        if let (waiter, event) = ready { waiter.resume(returning: event) }
    }

    /// Ends the watch from the consumer side: drops what is queued and wakes a pending `next()` with nil.
    func cancel() {
        let waiter = state.withLock { state -> Waiter? in
            state.closed = true
            state.buffer.removeAll()
            state.head = 0
            state.initialPending = 0
            let waiter = state.waiter
            state.waiter = nil
            return waiter
        }
        waiter?.resume(returning: nil)
        fireTermination()
    }

    /// The next event, or nil when the watch is over. Cancelling the calling task ends the watch.
    func next() async -> Event? {
        let event = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: Waiter) in
                let immediate = state.withLock { state -> Event?? in
                    if let event = state.pop() { return .some(event) }
                    if state.closed { return .some(nil) }
                    state.waiter = continuation
                    return nil
                }
                if let immediate { continuation.resume(returning: immediate) }
            }
        } onCancel: {
            cancel()
        }
        if event == nil { fireTermination() }
        return event
    }

    private func fireTermination() {
        let callback = state.withLock { state -> (@Sendable () -> Void)? in
            let callback = state.onTermination
            state.onTermination = nil
            return callback
        }
        callback?()
    }
}
