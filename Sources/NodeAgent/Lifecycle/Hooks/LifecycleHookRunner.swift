import CRI
import KubeTypes

/// Runs a postStart or preStop handler (kubelet's handler runner): exec through CRI ExecSync, httpGet with the
/// prober's HTTP client (any HTTP response counts as success, only a failed request fails the hook), or sleep.
enum LifecycleHookRunner {
    /// Runs `handler` against `target` within `timeout` (nil: no bound of our own, as kubelet runs postStart
    /// exec hooks; the CRI client's deadline still applies). Returns nil on success, or kubelet's failure message.
    static func run(
        _ handler: LifecycleHandler, target: ProbeTarget, podDescription: String, timeout: Duration?
    ) async -> String? {
        let name = target.container.name
        if let command = handler.exec?.command {
            let commandText = command.joined(separator: " ")
            let prefix = "Exec lifecycle hook ([\(commandText)]) for Container \"\(name)\" in Pod \"\(podDescription)\" failed"
            guard !command.isEmpty else { return "\(prefix) - error: no command, message: \"\"" }
            do {
                let result = try await target.runtime.execSync(id: target.containerID, command: command, timeout: timeout)
                if result.exitCode == 0 { return nil }
                let output = result.stdoutText + result.stderrText
                return "\(prefix) - error: command '\(commandText)' exited with \(result.exitCode): \(result.stderrText), message: \"\(output)\""
            } catch {
                return "\(prefix) - error: \(error), message: \"\""
            }
        }
        if let action = handler.httpGet {
            var hookTarget = target
            hookTarget.userAgentComponent = "kube-lifecycle"
            let path = action.path ?? ""
            let prefix = "HTTP lifecycle hook (\(path)) for Container \"\(name)\" in Pod \"\(podDescription)\" failed"
            let request: HTTPProbeRequest
            do {
                request = try HTTPRequestBuilder.request(for: action, target: hookTarget)
            } catch {
                return "\(prefix) - error: \(error.message)"
            }
            do {
                _ = try await target.http.get(request, timeout: timeout ?? httpHookTimeout)
                return nil
            } catch {
                return "\(prefix) - error: Get \"\(request.url)\": \(error)"
            }
        }
        if let sleep = handler.sleep {
            var wait = Duration.seconds(max(0, sleep.seconds))
            if let timeout { wait = min(wait, timeout) }
            // Cancellation ends the sleep early; that is no failure of the hook.
            try? await Task.sleep(for: wait)
            return nil
        }
        return "Cannot run handler: invalid handler for Container \"\(name)\" in Pod \"\(podDescription)\": only exec, httpGet and sleep are supported"
    }

    /// kubelet's HTTP hook client has no timeout; a hook whose server never answers must not hold the pod worker
    /// forever, so a postStart httpGet gets this long.
    static let httpHookTimeout: Duration = .seconds(120)
}
