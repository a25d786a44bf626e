import KubeTypes

/// Timestamps as the Summary writes them: RFC 3339 in UTC, whole seconds.
enum RFC3339Time {
    /// The time `nanos` nanoseconds after the epoch.
    static func string(nanos: Int64) -> String {
        Time(secondsSinceEpoch: nanos / 1_000_000_000).rfc3339
    }
}
