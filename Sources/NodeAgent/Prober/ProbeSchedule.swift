import KubeTypes

/// The timing and threshold rules of one probe on one container instance (kubelet's prober worker, without the
/// clock): when the first run happens, and when consecutive results change the published result.
struct ProbeSchedule: Sendable, Equatable {
    let kind: ProbeKind
    let initialDelay: Duration
    let period: Duration
    let timeout: Duration
    let successThreshold: Int
    let failureThreshold: Int
    /// The result the status and the pod worker see.
    private(set) var published: ProbeResult
    /// The last run's result and how many runs in a row had it.
    private(set) var lastResult: ProbeResult = .unknown
    private(set) var run = 0
    /// A liveness or startup probe that failed stops probing this instance: it is about to be killed.
    private(set) var onHold = false

    /// kubelet's defaults for absent or zero fields: timeout 1 s, period 10 s, thresholds 1 and 3. Liveness and
    /// startup probes always use a success threshold of 1 (validation requires it).
    init(_ probe: Probe, kind: ProbeKind) {
        self.kind = kind
        initialDelay = .seconds(max(0, Int64(probe.initialDelaySeconds ?? 0)))
        period = .seconds(max(1, Int64(probe.periodSeconds ?? 10)))
        timeout = .seconds(max(1, Int64(probe.timeoutSeconds ?? 1)))
        successThreshold = kind == .readiness ? max(1, Int(probe.successThreshold ?? 1)) : 1
        failureThreshold = max(1, Int(probe.failureThreshold ?? 3))
        published = kind.initialResult
    }

    /// The probing of this instance is over: it failed liveness or startup (and will be killed), or its startup
    /// probe passed (startup probes stop once the container has started).
    var finished: Bool { onHold || (kind == .startup && published == .success) }

    /// How long after the worker starts the first probe runs.
    ///
    /// No probe runs before `initialDelaySeconds` have passed since the container started. On top of that a
    /// random share of a period (`jitter` in 0..<1) spreads probe times: a full period for a container that has
    /// been running long already (an agent restart adopts every pod at once, and they would all probe in
    /// lockstep), at most a tenth of a period (and 1 s) for a fresh one, and none for a probe that was waiting
    /// for its startup probe, which kubelet runs at once.
    func firstDelay(runningFor: Duration, jitter: Double, afterStartup: Bool) -> Duration {
        let remaining = max(.zero, initialDelay - runningFor)
        if afterStartup { return remaining }
        let share = max(0, min(jitter, 0.999))
        if runningFor > initialDelay + period {
            return remaining + period * share
        }
        return remaining + min(period / 10, .seconds(1)) * share
    }

    /// Counts one run's result. Returns the new published result when it changed: after `failureThreshold`
    /// failures in a row, or `successThreshold` successes in a row.
    mutating func record(_ result: ProbeResult) -> ProbeResult? {
        if result == lastResult {
            run += 1
        } else {
            lastResult = result
            run = 1
        }
        if (result == .failure && run < failureThreshold) || (result == .success && run < successThreshold) {
            return nil
        }
        let previous = published
        published = result
        if kind != .readiness && result == .failure {
            onHold = true
            run = 0
        }
        return previous == result ? nil : result
    }
}
