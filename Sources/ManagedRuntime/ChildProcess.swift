import Synchronization
import SystemSupport

#if canImport(Glibc)
    import Glibc
#endif

/// How a child process ended.
public enum ChildExitStatus: Sendable, Hashable, CustomStringConvertible {
    /// It called exit with this code.
    case exited(Int32)
    /// A signal ended it.
    case signaled(Int32)
    /// Someone else reaped it (for example SIGCHLD was set to SIG_IGN), so the status is unknown.
    case unknown

    /// `"exit code 1"`, `"signal 9"`, `"unknown status"`.
    public var description: String {
        switch self {
        case .exited(let code): return "exit code \(code)"
        case .signaled(let signal): return "signal \(signal)"
        case .unknown: return "unknown status"
        }
    }

    init(waitStatus status: Int32) {
        // WIFEXITED / WEXITSTATUS / WTERMSIG are C macros that Swift does not import.
        if status & 0x7f == 0 {
            self = .exited((status >> 8) & 0xff)
        } else {
            self = .signaled(status & 0x7f)
        }
    }
}

/// A child process spawned with `posix_spawn`, and a thread that waits for it.
///
/// Why not Foundation's `Process`: the child must get its own process group (a Ctrl-C on Swiftlet's terminal must
/// not reach containerd: Swiftlet stops it in order), default signal dispositions, no inherited file descriptors
/// besides stdio, and stdout/stderr appended to a log file. `posix_spawn` does all that in one call.
final class ChildProcess: Sendable {
    /// The child's pid.
    let pid: pid_t
    /// When it was spawned.
    let startedAt: ContinuousClock.Instant

    private struct State {
        var status: ChildExitStatus?
        var waiters: [CheckedContinuation<ChildExitStatus, Never>] = []
    }
    private let state = Mutex(State())

    /// Spawns `executable` with `arguments` (argv[1...]), stdin from /dev/null and stdout+stderr appended to
    /// `logFile` (created 0644 if missing).
    /// - Throws: `ManagedRuntimeError` `.spawnFailed` with `strerror` of the failure.
    init(executable: String, arguments: [String], environment: [String: String], logFile: String) throws {
        var fileActions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&fileActions)
        defer { posix_spawn_file_actions_destroy(&fileActions) }
        posix_spawn_file_actions_addopen(&fileActions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&fileActions, 1, logFile, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&fileActions, 1, 2)
        // Sockets and files of the parent (gRPC connections, test fixtures) must not leak into containerd.
        // glibc 2.34+ has posix_spawn_file_actions_addclosefrom_np, but its header hides it from Swift.
        if let closeFrom = Self.addCloseFrom {
            _ = closeFrom(&fileActions, 3)
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([executable] + arguments).map { strdup($0) }
        let envp = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") }
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let rc = (argv + [nil]).withUnsafeBufferPointer { argvBuffer in
            (envp + [nil]).withUnsafeBufferPointer { envpBuffer in
                guard let argvBase = argvBuffer.baseAddress, let envpBase = envpBuffer.baseAddress else {
                    return EINVAL
                }
                return posix_spawn(&pid, executable, &fileActions, &attributes, argvBase, envpBase)
            }
        }
        guard rc == 0 else {
            throw ManagedRuntimeError(.spawnFailed, "cannot start \(executable): \(String(cString: strerror(rc)))")
        }
        self.pid = pid
        self.startedAt = .now
        do {
            // The kernel keeps 15 bytes of a thread name; a pid has at most 7 digits.
            try SystemThread.start(name: "waitpid-\(pid)") { [self] in self.reap() }
        } catch {
            // Without the waiter nobody would collect the child's exit status, so the child must not live on.
            kill(pid, SIGKILL)
            var raw: Int32 = 0
            while waitpid(pid, &raw, 0) == -1 && errno == EINTR {}
            throw ManagedRuntimeError(.spawnFailed, "cannot start \(executable): \(error)")
        }
    }

    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    /// `posix_spawn_file_actions_addclosefrom_np`, looked up at run time (nil on a glibc older than 2.34).
    private static var addCloseFrom: AddCloseFrom? {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np")
        else { return nil }
        return unsafeBitCast(symbol, to: AddCloseFrom.self)
    }

    /// Blocks (on the waiter thread) until the child exits, then wakes everyone waiting.
    private func reap() {
        var raw: Int32 = 0
        var result: ChildExitStatus
        while true {
            let rc = waitpid(pid, &raw, 0)
            if rc == pid {
                result = ChildExitStatus(waitStatus: raw)
                break
            }
            if rc == -1 && errno == EINTR { continue }
            result = .unknown
            break
        }
        let waiters = state.withLock { state in
            state.status = result
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: result) }
    }

    /// The exit status, or nil while the child runs.
    var exitStatus: ChildExitStatus? { state.withLock { $0.status } }

    /// True while the child runs.
    var isRunning: Bool { exitStatus == nil }

    /// Waits until the child has exited.
    func waitForExit() async -> ChildExitStatus {
        await withCheckedContinuation { continuation in
            let done = state.withLock { state -> ChildExitStatus? in
                if let status = state.status { return status }
                state.waiters.append(continuation)
                return nil
            }
            if let done { continuation.resume(returning: done) }
        }
    }

    /// Waits until the child has exited or `timeout` passed; true when it exited.
    func waitForExit(timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if !isRunning { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return !isRunning
    }

    /// Sends `signal` unless the child has already been reaped (its pid could belong to someone else by then).
    func send(_ signal: Int32) {
        if isRunning { kill(pid, signal) }
    }

    /// SIGTERM, then SIGKILL if it has not exited after `grace`. Returns its exit status.
    @discardableResult
    func terminate(grace: Duration) async -> ChildExitStatus {
        send(SIGTERM)
        if await !waitForExit(timeout: grace) {
            send(SIGKILL)
        }
        return await waitForExit()
    }
}
