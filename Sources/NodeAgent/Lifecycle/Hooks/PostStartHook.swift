import CRI
import KubeTypes

/// Runs a container's postStart handler right after StartContainer. The pod worker does not write a status until
/// it returns, so the container is not reported Running before its postStart hook completed (as in kubelet,
/// whose sync of the pod waits for the hook).
enum PostStartHook {
    /// Returns nil on success, or the message of the `FailedPostStartHook` event.
    static func run(_ handler: LifecycleHandler, target: ProbeTarget, podDescription: String) async -> String? {
        await LifecycleHookRunner.run(handler, target: target, podDescription: podDescription, timeout: nil)
    }
}
