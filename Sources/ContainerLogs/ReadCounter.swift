import Synchronization

/// Counts bytes read from disk, so tests and metrics can check that `tailLines` reads only a few blocks.
final class ReadCounter: Sendable {
    private let bytes = Atomic<Int>(0)

    /// Adds bytes just read.
    func add(_ count: Int) {
        bytes.add(count, ordering: .relaxed)
    }

    /// Total bytes read so far.
    var value: Int { bytes.load(ordering: .relaxed) }
}
