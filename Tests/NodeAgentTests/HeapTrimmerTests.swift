import Logging
import Synchronization
import Testing
@testable import NodeAgent

@Suite struct HeapTrimmerTests {
    /// A heap whose free total the test sets, counting the trims asked of it.
    final class FakeHeap: TrimmableHeap {
        let state = Mutex((free: Int?.some(0), trims: 0))

        func freeBytes() -> Int? { state.withLock { $0.free } }
        func trim() -> Bool { state.withLock { $0.trims += 1; return true } }
        var trims: Int { state.withLock { $0.trims } }
        func setFree(_ bytes: Int?) { state.withLock { $0.free = bytes } }
    }

    @Test func trimsOnlyWhenTheFreeTotalReachesTheThreshold() {
        let heap = FakeHeap()
        let trimmer = HeapTrimmer(heap: heap, threshold: 4 << 20, logger: Logger(label: "test"))
        heap.setFree((4 << 20) - 1)
        #expect(!trimmer.trimIfWorthwhile())
        #expect(heap.trims == 0)
        heap.setFree(4 << 20)
        #expect(trimmer.trimIfWorthwhile())
        #expect(heap.trims == 1)
        heap.setFree(nil)
        #expect(!trimmer.trimIfWorthwhile())
        #expect(heap.trims == 1)
    }

    @Test func runChecksEveryIntervalUntilCancelled() async throws {
        let heap = FakeHeap()
        heap.setFree(8 << 20)
        let trimmer = HeapTrimmer(heap: heap, interval: .milliseconds(20), threshold: 1, logger: Logger(label: "test"))
        let task = Task { await trimmer.run() }
        let deadline = ContinuousClock.now + .seconds(10)
        while heap.trims < 3, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        task.cancel()
        await task.value
        let after = heap.trims
        #expect(after >= 3)
        try await Task.sleep(for: .milliseconds(100))
        #expect(heap.trims == after)
    }

    /// The real allocator: freeing most of a fragmented block of allocations shows up as free bytes, and a trim
    /// releases the whole free pages between the survivors.
    @Test func glibcReportsFreeBytesAndTrimsThem() {
        let heap = GlibcHeap()
        let blocks = (0..<4096).map { _ in UnsafeMutableRawPointer.allocate(byteCount: 4000, alignment: 16) }
        for block in blocks { block.initializeMemory(as: UInt8.self, repeating: 1, count: 4000) }
        // Keep every 32nd block (and the last), so the holes between them cannot be trimmed from the arena's top.
        for (index, block) in blocks.enumerated() where index % 32 != 31 { block.deallocate() }
        let free = heap.freeBytes()
        #expect((free ?? 0) >= 8 << 20, "free bytes: \(String(describing: free))")
        #expect(heap.trim())
        for (index, block) in blocks.enumerated() where index % 32 == 31 { block.deallocate() }
    }
}
