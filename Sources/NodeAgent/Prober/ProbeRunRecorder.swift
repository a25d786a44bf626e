import Synchronization

/// What every run of one probe does with its outcome, whichever way the run was driven: counts it (the observer's
/// `prober_probe_total` and duration), records `Unhealthy`/`ProbeWarning` events, applies the thresholds and
/// publishes a changed result.
final class ProbeRunRecorder: Sendable {
    let context: ProbeWorker.Context
    private let schedule: Mutex<ProbeSchedule>
    private let stopped = Atomic<Bool>(false)

    init(_ context: ProbeWorker.Context, schedule: ProbeSchedule) {
        self.context = context
        self.schedule = Mutex(schedule)
    }

    /// False once the worker was stopped: a run that ends after that is dropped unrecorded.
    var isActive: Bool { !stopped.load(ordering: .acquiring) }

    /// Drops every later run.
    func stop() { stopped.store(true, ordering: .releasing) }

    /// Records one run. Returns false when probing this instance is over (a failed liveness or startup probe, a
    /// passed startup probe, or a stopped worker).
    func record(_ outcome: ProbeOutcome, duration: Duration) -> Bool {
        guard isActive else { return false }
        report(outcome, duration: duration)
        let (changed, finished) = schedule.withLock { schedule in
            let changed = schedule.record(outcome.result)
            return (changed, schedule.finished)
        }
        if let changed { context.onResult(changed) }
        return !finished
    }

    private func report(_ outcome: ProbeOutcome, duration: Duration) {
        let pod = context.pod
        let label = context.kind.label
        context.observer?.observe(ProbeObservation(
            probeType: label, result: outcome.metricLabel, namespace: pod.objectKey.namespace,
            pod: pod.metadata.name ?? "", podUID: pod.metadata.uid ?? "", container: context.target.container.name,
            duration: duration))
        switch outcome.kind {
        case .success:
            break
        case .warning:
            context.events.record(pod, type: .warning, reason: "ProbeWarning", message: "\(label) probe warning: \(outcome.output)")
        case .failure:
            context.events.record(pod, type: .warning, reason: "Unhealthy", message: "\(label) probe failed: \(outcome.output)")
        case .error:
            context.events.record(pod, type: .warning, reason: "Unhealthy", message: "\(label) probe errored: \(outcome.output)")
        }
    }
}
