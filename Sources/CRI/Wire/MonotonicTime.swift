import Glibc

/// Nanoseconds on CLOCK_MONOTONIC: call deadlines as plain integers the reader thread compares cheaply.
enum MonotonicTime {
    /// Now.
    static func now() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
    }

    /// Now plus `duration` (negative durations count as zero, huge ones saturate).
    static func deadline(after duration: Duration) -> UInt64 {
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0 else { return now() }
        let (scaled, overflow) = UInt64(seconds).multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow else { return .max }
        let (sum, overflow2) = now().addingReportingOverflow(scaled + UInt64(max(0, attoseconds) / 1_000_000_000))
        return overflow2 ? .max : sum
    }

    /// Milliseconds from now until `instant`, rounded up, for poll(2); -1 (wait forever) for `.max`.
    static func pollTimeout(until instant: UInt64, now: UInt64) -> Int32 {
        if instant == .max { return -1 }
        if instant <= now { return 0 }
        let milliseconds = (instant - now + 999_999) / 1_000_000
        return Int32(min(milliseconds, UInt64(Int32.max)))
    }
}
