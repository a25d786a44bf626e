import CRI
import KubeTypes

/// Runs a container's preStop handler within the grace period, as kubelet does before it sends the stop signal.
/// A failure is recorded as `FailedPreStopHook` and termination goes on; a hook still running at the deadline is
/// abandoned so the stop signal is not late.
enum PreStopHook {
    static func run(
        _ handler: LifecycleHandler, target: ProbeTarget, until deadline: ContinuousClock.Instant, pod: Pod,
        podDescription: String, events: EventRecorder
    ) async {
        let remaining = deadline - ContinuousClock.now
        guard remaining > .zero else { return }
        let failure = await withTaskGroup(of: String?.self) { group -> String? in
            group.addTask {
                await LifecycleHookRunner.run(handler, target: target, podDescription: podDescription, timeout: remaining)
            }
            group.addTask {
                try? await Task.sleep(until: deadline, clock: .continuous)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        if let failure {
            events.record(pod, type: .warning, reason: "FailedPreStopHook", message: failure)
        }
    }
}
