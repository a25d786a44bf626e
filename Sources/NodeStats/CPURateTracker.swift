/// Computes `usageNanoCores` from two cumulative samples, as kubelet's CRI stats provider does.
///
/// The runtime's own `usage_nano_cores` is 0 on the first call and depends on who called last, so Swiftlet keeps
/// its own previous sample per object (container id, sandbox id, "node", ...) and divides the CPU time used by the
/// wall time elapsed between the two readings. Objects not seen in a pass are forgotten, so the table stays the
/// size of what runs.
struct CPURateTracker: Sendable {
    private struct Sample: Sendable {
        var cumulative: UInt64
        var timestampNanos: Int64
    }

    private var previous: [String: Sample] = [:]
    private var seen: Set<String> = []

    /// Records a sample of `key` and returns the rate since the previous one, or nil when there is no usable
    /// previous sample (first sight, a counter reset after a restart, or no time elapsed).
    mutating func rate(_ key: String, cumulative: UInt64, timestampNanos: Int64) -> UInt64? {
        seen.insert(key)
        let last = previous[key]
        previous[key] = Sample(cumulative: cumulative, timestampNanos: timestampNanos)
        guard let last, cumulative >= last.cumulative, timestampNanos > last.timestampNanos else { return nil }
        let used = Double(cumulative - last.cumulative)
        let elapsed = Double(timestampNanos - last.timestampNanos)
        return UInt64((used / elapsed * 1_000_000_000).rounded())
    }

    /// Forgets every key not seen since the previous call.
    mutating func endPass() {
        previous = previous.filter { seen.contains($0.key) }
        seen.removeAll(keepingCapacity: true)
    }
}
