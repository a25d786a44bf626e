import NodeStats
import Synchronization

/// The JSON of the current stats snapshot's Summary, encoded once per housekeeping pass instead of once per request.
///
/// A snapshot changes every `--housekeeping-interval` (10 s) while scrapers may ask many times a second, and a
/// 110-pod summary took 12–20 ms to encode with Foundation's encoder. Entries are keyed by the snapshot's
/// collection time and the `only_cpu_and_memory` choice; an older snapshot's entries are dropped.
final class EncodedSummaryCache: Sendable {
    private struct Entry {
        var collectedAt: Double
        var cpuAndMemoryOnly: Bool
        var json: [UInt8]
    }

    private let entries = Mutex<[Entry]>([])

    /// The encoded summary of `snapshot`, encoding it only when this snapshot and variant were not encoded yet.
    func json(for snapshot: StatsSnapshot, cpuAndMemoryOnly: Bool) throws -> [UInt8] {
        let cached = entries.withLock { entries in
            entries.first { $0.collectedAt == snapshot.collectedAt && $0.cpuAndMemoryOnly == cpuAndMemoryOnly }?.json
        }
        if let cached { return cached }
        let summary = cpuAndMemoryOnly ? snapshot.summary.onlyCPUAndMemory() : snapshot.summary
        let json = try ObservabilityRoutes.encode(summary)
        entries.withLock { entries in
            entries.removeAll { $0.collectedAt != snapshot.collectedAt }
            entries.append(Entry(collectedAt: snapshot.collectedAt, cpuAndMemoryOnly: cpuAndMemoryOnly, json: json))
        }
        return json
    }
}
