import Testing

@testable import NodeAgent

@Suite("WatchHistory: a bounded window")
struct WatchHistoryTests {
    @Test("the window keeps exactly its limit, resumes exactly, expires older versions, and frees evicted changes")
    func bounded() throws {
        let limit = 400
        var history = WatchHistory<Widget>(limit: limit, startVersion: 0)
        let widget = Widget("default", "w")
        var maxRetained = 0
        for version in 1...UInt64(3 * limit) {
            history.append(StoreChange(version: version, kind: .modified, object: widget, previous: widget))
            maxRetained = max(maxRetained, history.retainedCount)
        }
        #expect(history.count == limit)
        // Evicted changes are dropped within an eighth of the window, not kept until the window doubles.
        #expect(maxRetained <= limit + limit / 8)
        let newest = UInt64(3 * limit)
        let oldest = newest - UInt64(limit)
        let replay = try history.changes(after: oldest).get()
        #expect(replay.map(\.version) == Array((oldest + 1)...newest))
        #expect(try history.changes(after: newest - 5).get().map(\.version) == Array((newest - 4)...newest))
        guard case .failure(.expired) = history.changes(after: oldest - 1) else {
            Issue.record("a version older than the window was not expired")
            return
        }
    }
}
