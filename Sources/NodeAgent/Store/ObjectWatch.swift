/// A running watch on an `ObjectStore`: an AsyncSequence of `StoreWatchEvent`s.
///
/// The sequence ends after an `.error` event, when `cancel()` is called, when the iterating task is cancelled,
/// or when the store finishes its watches. Ending it in any of these ways unregisters the watcher from the store.
/// Dropping every copy of the watch and its iterator ends it too. Iterate it from one task only.
public struct ObjectWatch<Object: StoredObject>: AsyncSequence, Sendable {
    /// The element type: one watch event.
    public typealias Element = StoreWatchEvent<Object>
    /// Watches do not throw; failures arrive as `.error` events.
    public typealias Failure = Never

    /// Owns the consumer side; its deinit ends a watch nobody holds any more.
    final class Subscription: Sendable {
        let channel: WatchChannel<Object>
        init(channel: WatchChannel<Object>) { self.channel = channel }
        deinit { channel.cancel() }
    }

    let subscription: Subscription

    init(channel: WatchChannel<Object>) {
        subscription = Subscription(channel: channel)
    }

    /// Ends the watch now: queued events are dropped and the watcher is unregistered.
    public func cancel() {
        subscription.channel.cancel()
    }

    /// The iterator over the watch's events.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let subscription: Subscription

        /// The next event, or nil when the watch is over.
        public mutating func next() async -> StoreWatchEvent<Object>? {
            await subscription.channel.next()
        }
    }

    /// Starts iterating.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(subscription: subscription)
    }
}
