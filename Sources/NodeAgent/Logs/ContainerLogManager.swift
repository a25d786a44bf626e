import CRI
import ContainerLogs
import Logging

/// kubelet's container log manager: every `period` it lists the running containers and has `ContainerLogRotator`
/// rotate any log that reached the size limit (`--container-log-max-size`, `--container-log-max-files`).
///
/// One `ListContainers` (running only, filtered by the owner labels) per pass; `ContainerStatus` is asked only for
/// containers seen for the first time, because a container's log path never changes.
public actor ContainerLogManager {
    private let runtime: any ContainerRuntime
    private let rotator: ContainerLogRotator
    private let period: Duration
    private let labelSelector: [String: String]
    private let logger: Logger
    /// Container ID → live log path of the containers registered with the rotator.
    private var known: [String: String] = [:]

    /// A manager for the running containers carrying `labelSelector` (the pod engine's owner labels; empty: all).
    public init(runtime: any ContainerRuntime, policy: LogRotationPolicy = .default, period: Duration = .seconds(10),
                labelSelector: [String: String] = [:], logger: Logger = Logger(label: "swiftlet.container-logs")) {
        self.runtime = runtime
        self.rotator = ContainerLogRotator(policy: policy, reopener: RuntimeLogReopener(runtime: runtime), logger: logger)
        self.period = period
        self.labelSelector = labelSelector
        self.logger = logger
    }

    /// A manager with kubelet's two rotation settings given as numbers; throws `ContainerLogError.invalidPolicy` for
    /// a non-positive size or fewer than 2 files.
    public init(runtime: any ContainerRuntime, maxSize: Int, maxFiles: Int, period: Duration = .seconds(10),
                labelSelector: [String: String] = [:], logger: Logger = Logger(label: "swiftlet.container-logs")) throws {
        self.init(runtime: runtime, policy: try LogRotationPolicy(maxSize: maxSize, maxFiles: maxFiles), period: period,
                  labelSelector: labelSelector, logger: logger)
    }

    /// Runs passes every `period` until the calling task is cancelled.
    public func run() async {
        while !Task.isCancelled {
            await passNow()
            do { try await Task.sleep(for: period) } catch { return }
        }
    }

    /// One pass now: refresh the set of running containers, then rotate what is over the limit. Returns the
    /// rotator's outcomes (empty when the runtime could not be listed; the next pass tries again).
    @discardableResult
    public func passNow() async -> [LogRotationOutcome] {
        var filter = Runtime_V1_ContainerFilter()
        filter.state.state = .containerRunning
        filter.labelSelector = labelSelector
        let running: [Runtime_V1_Container]
        do {
            running = try await runtime.listContainers(filter: filter)
        } catch {
            logger.warning("container log rotation skipped: listing containers failed", metadata: ["error": "\(error)"])
            return []
        }
        let runningIDs = Set(running.map(\.id))
        for id in known.keys where !runningIDs.contains(id) {
            known[id] = nil
            await rotator.unregister(containerID: id)
        }
        for container in running where known[container.id] == nil {
            do {
                let path = try await runtime.containerStatus(id: container.id, verbose: false).status.logPath
                // A container without a log path (not created by a kubelet-like client) has nothing to rotate.
                guard !path.isEmpty else { continue }
                known[container.id] = path
                await rotator.register(containerID: container.id, logPath: path)
            } catch {
                // Gone between the list and the status, or the runtime is restarting: the next pass sees it again.
                logger.debug("no log path for container yet", metadata: ["containerID": "\(container.id)", "error": "\(error)"])
            }
        }
        return await rotator.rotateNow()
    }

    /// Container ID → log path of the containers currently watched.
    public var watchedLogs: [String: String] { known }
}
