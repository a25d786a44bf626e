import FoundationEssentials
import SystemSupport

#if canImport(Glibc)
    import Glibc
#endif

/// The pid file of a managed containerd, and how a leftover instance (from a run that crashed before it could
/// stop its child) is recognised and stopped.
struct PidFile: Sendable {
    /// The file's path.
    let path: String

    /// Records `pid`, atomically.
    func write(_ pid: pid_t) throws {
        do {
            try "\(pid)\n".write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw ManagedRuntimeError(.setupFailed, "cannot write the pid file \(path): \(error)")
        }
    }

    /// The recorded pid, if the file exists and holds one.
    func read() -> pid_t? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        return pid_t(text.trimmingWhitespaceAndNewlines())
    }

    /// Removes the file; a missing file is fine.
    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// The recorded process, if it is alive and is a containerd started with `configFile` (a pid alone could
    /// have been reused by an unrelated process since).
    func leftover(configFile: String) -> pid_t? {
        guard let pid = read(), pid > 0, kill(pid, 0) == 0 || errno == EPERM else { return nil }
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return nil }
        let arguments = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
        guard let executable = arguments.first, executable.hasSuffix("containerd"), arguments.contains(configFile)
        else { return nil }
        return pid
    }

    /// Stops a leftover instance: SIGTERM, then SIGKILL after `grace`. It is not our child, so liveness is
    /// polled with `kill(pid, 0)` (the process is reaped by init). Returns true if there was one.
    @discardableResult
    func stopLeftover(configFile: String, grace: Duration) async -> Bool {
        guard let pid = leftover(configFile: configFile) else { return false }
        kill(pid, SIGTERM)
        let deadline = ContinuousClock.now + grace
        while ContinuousClock.now < deadline, leftover(configFile: configFile) == pid {
            try? await Task.sleep(for: .milliseconds(50))
        }
        if leftover(configFile: configFile) == pid {
            kill(pid, SIGKILL)
            let killDeadline = ContinuousClock.now + .seconds(5)
            while ContinuousClock.now < killDeadline, leftover(configFile: configFile) == pid {
                try? await Task.sleep(for: .milliseconds(50))
            }
        }
        return true
    }
}
