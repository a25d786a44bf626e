import Synchronization

/// Counts the HTTP/2 connections a `GRPCUnaryClient` opened and the PINGs it answered on them.
///
/// Why: when a call fails with a deadline or `unavailable`, telling the caller whether any connection to the
/// runtime exists turns "deadline exceeded" into the actionable "containerd is not reachable"; and the counts
/// let tests prove that one connection carried a long run of calls.
final class ConnectionTracker: Sendable {
    private let open = Atomic<Int>(0)
    private let opened = Atomic<Int>(0)
    private let pings = Atomic<Int>(0)

    /// Records that a connection was established (the server's first SETTINGS arrived).
    func connectionOpened() {
        open.add(1, ordering: .relaxed)
        opened.add(1, ordering: .relaxed)
    }

    /// Records that an established connection closed.
    func connectionClosed() { open.subtract(1, ordering: .relaxed) }

    /// Records `count` PINGs from the server answered with PING ACKs.
    func pingAnswered(_ count: Int = 1) { pings.add(count, ordering: .relaxed) }

    /// Connections open right now.
    var openConnections: Int { open.load(ordering: .relaxed) }
    /// Connections opened since the client started (a reconnect adds one).
    var connectionsOpened: Int { opened.load(ordering: .relaxed) }
    /// PINGs answered since the client started.
    var pingsAnswered: Int { pings.load(ordering: .relaxed) }
}
