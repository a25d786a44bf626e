import EventHTTP
/// When a stream last carried a message in either direction, for the idle timeout.
final class StreamActivity: Sendable {
    private let last = Locked(ContinuousClock.now)

    /// Records traffic now.
    func touch() { last.withLock { $0 = ContinuousClock.now } }

    /// Time since the last traffic.
    var idleFor: Duration { ContinuousClock.now - last.withLock { $0 } }
}
