import KubeTypes

/// One probe of one container instance, run on its own task until the instance stops, the pod terminates, or
/// the probe is finished (a failed liveness/startup probe, a passed startup probe).
///
/// Each run is counted (`ProbeObserver`), a failed run records `Unhealthy` ("Liveness probe failed: ..."), a
/// redirect to another host `ProbeWarning`, and a change of the published result goes to `onResult`.
final class ProbeWorker: Sendable {
    /// Everything one worker needs.
    struct Context: Sendable {
        var kind: ProbeKind
        var probe: Probe
        var target: ProbeTarget
        var pod: Pod
        var events: EventRecorder
        var observer: (any ProbeObserver)?
        /// How long the container has been running when the worker starts.
        var runningFor: Duration
        /// The worker starts because the startup probe just passed.
        var afterStartup: Bool
        /// Told of each change of the published result.
        var onResult: @Sendable (ProbeResult) -> Void
    }

    private let task: Task<Void, Never>

    init(_ context: Context) {
        task = Task { await Self.run(context) }
    }

    /// Stops probing; a run in flight is abandoned and its result dropped.
    func stop() { task.cancel() }

    private static func run(_ context: Context) async {
        var schedule = ProbeSchedule(context.probe, kind: context.kind)
        let handler = ProbeHandlers.make(context.probe)
        let first = schedule.firstDelay(
            runningFor: context.runningFor, jitter: Double.random(in: 0..<1), afterStartup: context.afterStartup)
        var next = ContinuousClock.now + first
        while !Task.isCancelled {
            do { try await Task.sleep(until: next, clock: .continuous) } catch { return }
            let started = ContinuousClock.now
            // Like kubelet's ticker, runs start one period apart whatever each run took.
            next = started + schedule.period
            let outcome = await handler.run(context.target, timeout: schedule.timeout)
            if Task.isCancelled { return }
            report(outcome, duration: ContinuousClock.now - started, context: context)
            if let changed = schedule.record(outcome.result) { context.onResult(changed) }
            if schedule.finished { return }
            if next < ContinuousClock.now { next = ContinuousClock.now + schedule.period }
        }
    }

    private static func report(_ outcome: ProbeOutcome, duration: Duration, context: Context) {
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
