import FoundationEssentials
import Logging
import SystemSupport

#if canImport(Glibc)
    import Glibc
#endif

/// A containerd that Swiftlet configures, starts and supervises as its own child process.
///
/// Lifecycle:
/// - `start()` checks the machine (`Preflight`), writes `<rootDirectory>/containerd/config.toml` (plus the CNI
///   conflist and the registry hosts dir), stops a leftover instance named by the pid file, spawns
///   `containerd --config <file>` with its output appended to `containerd.log`, and waits until CRI reports
///   `RuntimeReady` and `NetworkReady`.
/// - While running, a supervisor restarts containerd whenever it dies, after a backoff of 1 s that doubles up to
///   30 s (and starts over once an instance has stayed up for 30 s).
/// - `stop()` sends SIGTERM, then SIGKILL after `stopTimeout`.
///
/// Containers survive both a restart and a stop: their shims are separate processes that are never signalled.
public actor ManagedContainerd {
    /// The configuration it was created with.
    public nonisolated let configuration: Configuration
    /// The instance's paths.
    public nonisolated let paths: ContainerdPaths
    /// The CRI endpoint to give a CRI client, `unix://<rootDirectory>/containerd/containerd.sock`.
    public nonisolated let endpoint: String

    private let logger: Logger
    private let makeProbe: @Sendable (String) throws -> any RuntimeReadinessProbe
    private var probe: (any RuntimeReadinessProbe)?
    private var executable: String?
    private var child: ChildProcess?
    private var supervisor: Task<Void, Never>?
    private var stopping = false
    private var restartRequested = false
    private var unexpectedExits = 0

    /// The longest the supervisor waits before it starts a dead containerd again.
    public static let maximumBackoff: Duration = .seconds(30)

    /// Creates a managed containerd that checks readiness over CRI. Nothing happens until `start()`.
    public init(configuration: Configuration, logger: Logger) {
        let probeLogger = logger
        self.init(configuration: configuration, logger: logger) { endpoint in
            try CRIReadinessProbe(endpoint: endpoint, logger: probeLogger)
        }
    }

    /// Creates a managed containerd that checks readiness with the probes `makeProbe` returns for the endpoint.
    public init(
        configuration: Configuration, logger: Logger,
        makeProbe: @escaping @Sendable (String) throws -> any RuntimeReadinessProbe
    ) {
        self.configuration = configuration
        self.paths = ContainerdPaths(rootDirectory: configuration.rootDirectory)
        self.endpoint = paths.endpoint
        self.logger = logger
        self.makeProbe = makeProbe
    }

    /// The pid of the running containerd, or nil when none runs (not started, stopped, or between restarts).
    public var processID: Int32? {
        guard let child, child.isRunning else { return nil }
        return child.pid
    }

    /// How many times containerd died without being asked to and was started again.
    public var unexpectedExitCount: Int { unexpectedExits }

    /// Checks the machine, writes the config, starts containerd and waits until CRI reports `RuntimeReady` and
    /// `NetworkReady` (at most `readinessTimeout`).
    /// - Throws: `Preflight.Failure` when containerd, runc or the CNI plugins are missing;
    ///   `ManagedRuntimeError` for bad configuration, a failed spawn, or a runtime that did not become ready (the
    ///   message then quotes the end of `containerd.log`). After a failure nothing is left running.
    public func start() async throws {
        guard supervisor == nil, !stopping else {
            throw ManagedRuntimeError(.notRunning, "start() was already called on this managed containerd")
        }
        let tools = try Preflight.check(
            containerdBinary: configuration.containerdBinary, cniBinDirectory: configuration.cniBinDirectory)
        let setup = try ContainerdSetup(
            configuration: configuration, cniBinDirectory: tools.cniBinDirectory,
            capabilities: try ProcessCapabilities.current())
        let wroteNetwork = try setup.write()
        logger.info(
            "managed containerd: config written",
            metadata: [
                "config": "\(paths.configFile)", "restrict_oom_score_adj": "\(setup.config.restrictOOMScoreAdj)",
                "cni": "\(wroteNetwork ? "default bridge \(setup.network.bridgeName) on \(setup.network.podCIDR)" : "existing conf in \(paths.cniConfDirectory)")",
            ])

        let pidFile = PidFile(path: paths.pidFile)
        if let leftover = pidFile.leftover(configFile: paths.configFile) {
            logger.warning("managed containerd: stopping a leftover instance from an earlier run", metadata: ["pid": "\(leftover)"])
            await pidFile.stopLeftover(configFile: paths.configFile, grace: configuration.stopTimeout)
        }

        executable = tools.containerd
        probe = try makeProbe(endpoint)
        try launch()
        supervisor = Task { await self.supervise() }
        do {
            try await waitUntilReady(timeout: configuration.readinessTimeout)
        } catch {
            await stop()
            throw error
        }
        logger.info("managed containerd: ready", metadata: ["endpoint": "\(endpoint)", "pid": "\(processID.map(String.init) ?? "?")"])
    }

    /// Stops containerd (SIGTERM, then SIGKILL after `stopTimeout`), starts it again at once, and waits for
    /// readiness. Running containers keep running. Meant for tests and for operators.
    public func restart() async throws {
        guard let current = child, supervisor != nil, !stopping else {
            throw ManagedRuntimeError(.notRunning, "restart() needs a started managed containerd")
        }
        restartRequested = true
        logger.info("managed containerd: restarting", metadata: ["pid": "\(current.pid)"])
        await current.terminate(grace: configuration.stopTimeout)
        // The supervisor notices the exit and launches the next instance; wait for it to have done so.
        let deadline = ContinuousClock.now + configuration.readinessTimeout
        while child === current, !stopping, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        guard child !== current else {
            throw ManagedRuntimeError(.spawnFailed, "containerd was not started again after the restart: \(logTail())")
        }
        try await waitUntilReady(timeout: configuration.readinessTimeout)
    }

    /// Stops containerd and its supervisor: SIGTERM, then SIGKILL after `stopTimeout`. Containers and their shims
    /// keep running. Safe to call more than once.
    public func stop() async {
        stopping = true
        if let child, child.isRunning {
            let status = await child.terminate(grace: configuration.stopTimeout)
            logger.info("managed containerd: stopped", metadata: ["pid": "\(child.pid)", "status": "\(status)"])
        }
        supervisor?.cancel()
        await supervisor?.value
        supervisor = nil
        if let probe {
            self.probe = nil
            await probe.close()
        }
        PidFile(path: paths.pidFile).remove()
    }

    /// Polls readiness every 200 ms until both conditions hold.
    /// - Throws: `ManagedRuntimeError` `.notReady` with the last status (or error) and the end of the log.
    public func waitUntilReady(timeout: Duration) async throws {
        guard let probe else {
            throw ManagedRuntimeError(.notRunning, "waitUntilReady() needs a started managed containerd")
        }
        let deadline = ContinuousClock.now + timeout
        var last = "no answer yet"
        while true {
            if stopping { throw ManagedRuntimeError(.notRunning, "the managed containerd is stopping") }
            do {
                let readiness = try await probe.readiness()
                if readiness.isReady { return }
                last = readiness.description
            } catch {
                last = "\(error)"
            }
            if ContinuousClock.now >= deadline { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw ManagedRuntimeError(
            .notReady,
            "containerd at \(endpoint) did not report RuntimeReady and NetworkReady within \(timeout): \(last). "
                + "End of \(paths.logFile): \(logTail())")
    }

    // MARK: Supervision

    private func launch() throws {
        guard let executable else { throw ManagedRuntimeError(.notRunning, "no containerd binary resolved") }
        let process = try ChildProcess(
            executable: executable, arguments: ["--config", paths.configFile],
            environment: Self.childEnvironment(), logFile: paths.logFile)
        child = process
        try PidFile(path: paths.pidFile).write(process.pid)
        logger.info("managed containerd: started", metadata: ["pid": "\(process.pid)", "log": "\(paths.logFile)"])
    }

    /// Waits on the current child; when it dies unasked, starts it again after the backoff.
    private func supervise() async {
        var backoff: Duration = .seconds(1)
        while !stopping, let current = child {
            let status = await current.waitForExit()
            if stopping { return }
            if child !== current { continue }
            if restartRequested {
                restartRequested = false
                backoff = .seconds(1)
            } else {
                unexpectedExits += 1
                if ContinuousClock.now - current.startedAt >= Self.maximumBackoff { backoff = .seconds(1) }
                logger.error(
                    "managed containerd exited; starting it again",
                    metadata: ["pid": "\(current.pid)", "status": "\(status)", "in": "\(backoff)", "log": "\(paths.logFile)"])
                try? await Task.sleep(for: backoff)
                if stopping { return }
                backoff = min(backoff * 2, Self.maximumBackoff)
            }
            do {
                try launch()
            } catch {
                // `child` stays the dead process, so the next turn waits no time and backs off further.
                logger.error("managed containerd: cannot start containerd", metadata: ["error": "\(error)"])
            }
        }
    }

    /// The last lines of containerd.log, for error messages.
    private func logTail(lines: Int = 8) -> String {
        guard let tail = FileBytes.suffix(atPath: paths.logFile, maxBytes: 4096) else { return "(no log)" }
        let text = String(decoding: tail, as: UTF8.self)
        return text.split(separator: "\n").suffix(lines).joined(separator: "\n")
    }

    /// The parent's environment, with the sbin dirs on `PATH`: containerd looks up runc and its shim there.
    private static func childEnvironment() -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = Preflight.searchPath(environment).joined(separator: ":")
        return environment
    }
}
