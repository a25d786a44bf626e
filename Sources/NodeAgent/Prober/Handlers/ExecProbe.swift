import CRI
import FoundationEssentials

/// An exec probe: the command through CRI ExecSync; exit 0 is success, and a command that outlives the
/// timeout fails (kubelet's ExecProbeTimeout behaviour).
struct ExecProbe: ProbeHandler {
    var command: [String]

    func run(_ target: ProbeTarget, timeout: Duration) async -> ProbeOutcome {
        guard !command.isEmpty else { return .error("exec probe has no command") }
        let started = ContinuousClock.now
        do {
            let result = try await target.runtime.execSync(id: target.containerID, command: command, timeout: timeout)
            let output = Self.bounded(result.stdout + result.stderr)
            return result.exitCode == 0 ? .success(output) : .failure(output)
        } catch {
            if Self.isTimeout(error, elapsed: ContinuousClock.now - started, timeout: timeout) {
                return .failure("command \"\(command.joined(separator: " "))\" timed out")
            }
            return .error("\(error)")
        }
    }

    /// kubelet keeps at most 10 KiB of an exec probe's output; it ends up in event messages.
    static let maxOutputBytes = 10 * 1024

    static func bounded(_ output: Data) -> String {
        String(decoding: output.prefix(maxOutputBytes), as: UTF8.self)
    }

    /// containerd reports an exec past its timeout as an error whose text says so ("timeout 1s exceeded"); the
    /// client's own deadline (timeout plus a margin) is DEADLINE_EXCEEDED.
    static func isTimeout(_ error: any Error, elapsed: Duration, timeout: Duration) -> Bool {
        if let error = error as? CRIError {
            if error.code == .deadlineExceeded { return true }
            if error.message.contains("timeout") && error.message.contains("exceeded") { return true }
        }
        return elapsed >= timeout
    }
}
