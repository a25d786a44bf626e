/// Per-key exponential backoff with kubelet's semantics (client-go `flowcontrol.Backoff` without jitter).
///
/// `next` starts a key at `base` and doubles it up to `max` on every later call. A key that has been quiet for
/// more than twice `max` (10 minutes with the default 300 s) starts over at `base`: that is how a container that
/// ran stably for 10 minutes loses its CrashLoopBackOff history. Times are wall-clock nanoseconds since the epoch,
/// like CRI timestamps, so a container's `finishedAt` can be the event time.
struct Backoff: Sendable {
    struct Entry: Sendable, Equatable {
        /// The current delay.
        var delay: Duration
        /// When `next` last moved this entry.
        var lastUpdate: Int64
    }

    let base: Duration
    let max: Duration
    private(set) var entries: [String: Entry] = [:]

    init(base: Duration, max: Duration) {
        self.base = base
        self.max = Swift.max(base, max)
    }

    /// The current delay of `key`, if it has one.
    func delay(_ key: String) -> Duration? { entries[key]?.delay }

    /// True when the event at `eventTime` happened less than the current delay ago (`now - eventTime < delay`),
    /// i.e. the key must still wait. False for unknown or expired keys.
    func isInBackOffSince(_ key: String, eventTime: Int64, now: Int64) -> Bool {
        guard let entry = entries[key], !hasExpired(eventTime: eventTime, lastUpdate: entry.lastUpdate) else {
            return false
        }
        return now - eventTime < entry.delay.nanoseconds
    }

    /// True when less than the current delay has passed since the key's last `next` (image pulls use this).
    func isInBackOffSinceUpdate(_ key: String, now: Int64) -> Bool {
        guard let entry = entries[key], !hasExpired(eventTime: now, lastUpdate: entry.lastUpdate) else {
            return false
        }
        return now - entry.lastUpdate < entry.delay.nanoseconds
    }

    /// Moves `key` on: `base` when new or expired, else the delay doubled up to `max`.
    mutating func next(_ key: String, eventTime: Int64, now: Int64) {
        if let entry = entries[key], !hasExpired(eventTime: eventTime, lastUpdate: entry.lastUpdate) {
            let doubled = entry.delay * 2
            entries[key] = Entry(delay: doubled > max ? max : doubled, lastUpdate: now)
        } else {
            entries[key] = Entry(delay: base, lastUpdate: now)
        }
    }

    /// Sets an entry outright (recovery restores the delay a restarted agent had reached).
    mutating func restore(_ key: String, delay: Duration, lastUpdate: Int64) {
        entries[key] = Entry(delay: Swift.min(Swift.max(delay, base), max), lastUpdate: lastUpdate)
    }

    /// Forgets `key`.
    mutating func reset(_ key: String) { entries[key] = nil }

    private func hasExpired(eventTime: Int64, lastUpdate: Int64) -> Bool {
        eventTime - lastUpdate > (max * 2).nanoseconds
    }
}

extension Duration {
    /// The duration in whole nanoseconds (saturating).
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (product, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? Int64.min : Int64.max }
        return product + attoseconds / 1_000_000_000
    }

    /// kubelet's rendering in messages: `10s`, `1m20s`, `5m0s`, `500ms`.
    var goString: String {
        let ns = nanoseconds
        if ns < 1_000_000_000 && ns > 0 { return "\(ns / 1_000_000)ms" }
        let totalSeconds = ns / 1_000_000_000
        let fraction = ns % 1_000_000_000
        let fractionText = fraction == 0 ? "" : "." + String(String(fraction + 1_000_000_000).dropFirst()).replacingTrailingZeros()
        let hours = totalSeconds / 3600
        let minutes = (totalSeconds % 3600) / 60
        let seconds = totalSeconds % 60
        if hours > 0 { return "\(hours)h\(minutes)m\(seconds)\(fractionText)s" }
        if minutes > 0 { return "\(minutes)m\(seconds)\(fractionText)s" }
        return "\(seconds)\(fractionText)s"
    }
}

extension String {
    fileprivate func replacingTrailingZeros() -> String {
        var text = self
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }
}
