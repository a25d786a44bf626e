import CRI
import KubeTypes

/// Runs a container's preStop handler within the grace period, as kubelet does before it sends the stop signal.
enum PreStopHook {
    static func run(
        _ handler: LifecycleHandler, containerID: String, runtime: any ContainerRuntime,
        until deadline: ContinuousClock.Instant, pod: Pod, containerName: String, events: EventRecorder
    ) async {
        let remaining = deadline - ContinuousClock.now
        guard remaining > .zero else { return }
        if let exec = handler.exec, let command = exec.command, !command.isEmpty {
            do {
                let result = try await runtime.execSync(id: containerID, command: command, timeout: remaining)
                if result.exitCode != 0 {
                    events.record(pod, type: .warning, reason: "FailedPreStopHook",
                                  message: "PreStopHook failed: command '\(command.joined(separator: " "))' exited with \(result.exitCode): \(result.stderrText)")
                }
            } catch {
                events.record(pod, type: .warning, reason: "FailedPreStopHook",
                              message: "PreStopHook failed: command '\(command.joined(separator: " "))' failed: \(error)")
            }
        } else if let sleep = handler.sleep {
            let wait = min(Duration.seconds(max(0, sleep.seconds)), remaining)
            try? await Task.sleep(for: wait)
        } else if handler.httpGet != nil || handler.tcpSocket != nil {
            events.record(pod, type: .warning, reason: "FailedPreStopHook",
                          message: "PreStopHook failed: httpGet and tcpSocket handlers are not supported by this node yet")
        }
    }
}
