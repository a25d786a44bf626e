import EventHTTP
import KubeTypes

/// One probe of one container instance, run until the instance stops, the pod terminates, or the probe is
/// finished (a failed liveness/startup probe, a passed startup probe).
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

    /// What drives the runs: a task that sleeps between them (exec and grpc, which are async calls), or the HTTP
    /// client's loop thread (httpGet and tcpSocket, whose rounds need no task, timer or thread hop of their own).
    private enum Driver: Sendable {
        case task(Task<Void, Never>)
        case loop(RepeatingRequest)
    }

    private let driver: Driver
    private let recorder: ProbeRunRecorder

    init(_ context: Context) {
        let schedule = ProbeSchedule(context.probe, kind: context.kind)
        let first = schedule.firstDelay(
            runningFor: context.runningFor, jitter: Double.random(in: 0..<1), afterStartup: context.afterStartup)
        let recorder = ProbeRunRecorder(context, schedule: schedule)
        self.recorder = recorder
        if let rounds = LoopProbeRounds.start(context: context, schedule: schedule, firstDelay: first, recorder: recorder) {
            driver = .loop(rounds)
        } else {
            driver = .task(Task { await Self.run(context, schedule: schedule, firstDelay: first, recorder: recorder) })
        }
    }

    /// Stops probing; a run in flight is abandoned and its result dropped.
    func stop() {
        recorder.stop()
        switch driver {
        case .task(let task): task.cancel()
        case .loop(let rounds): rounds.cancel()
        }
    }

    private static func run(
        _ context: Context, schedule: ProbeSchedule, firstDelay: Duration, recorder: ProbeRunRecorder
    ) async {
        let handler = ProbeHandlers.make(context.probe)
        var next = ContinuousClock.now + firstDelay
        while !Task.isCancelled {
            do { try await Task.sleep(until: next, clock: .continuous) } catch { return }
            let started = ContinuousClock.now
            // Like kubelet's ticker, runs start one period apart whatever each run took.
            next = started + schedule.period
            let outcome = await handler.run(context.target, timeout: schedule.timeout)
            if Task.isCancelled { return }
            guard recorder.record(outcome, duration: ContinuousClock.now - started) else { return }
            if next < ContinuousClock.now { next = ContinuousClock.now + schedule.period }
        }
    }
}
