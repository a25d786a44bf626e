import Dispatch
import Glibc
import Logging

/// kubelet's container log manager: rotates each registered container's CRI log when it reaches `maxSize`.
///
/// A rotation, as kubelet does it: remove leftover `.tmp` files and plain files that already have a `.gz` copy;
/// delete the oldest rotated files so that, after this rotation, at most `maxFiles` remain counting the live one;
/// gzip the remaining rotated files except the one about to be created; rename the live file to
/// `<path>.<UTC YYYYMMDD-hhmmss>`; call `ReopenContainerLog`. If the reopen fails the rename is undone, so the next
/// pass tries again.
///
/// Register only running containers (the runtime cannot reopen the log of a stopped one).
public actor ContainerLogRotator {
    private let policy: LogRotationPolicy
    private let reopener: any LogReopener
    private let logger: Logger
    private let now: @Sendable () -> LogTimestamp
    private var logs: [String: String] = [:]
    private var currentPass: Task<[LogRotationOutcome], Never>?
    private var warnedNoCompression = false

    /// A rotator. `now` names rotated files (tests inject a clock).
    public init(policy: LogRotationPolicy = .default, reopener: any LogReopener,
                logger: Logger = Logger(label: "swiftlet.container-log-rotator"),
                now: @escaping @Sendable () -> LogTimestamp = { LogTimestamp.now() }) {
        self.policy = policy
        self.reopener = reopener
        self.logger = logger
        self.now = now
    }

    /// Starts rotating the log at `logPath` of a running container (replaces an earlier registration).
    public func register(containerID: String, logPath: String) {
        logs[containerID] = logPath
    }

    /// Stops rotating a container's log (it stopped or was removed). Rotated files stay until the container's
    /// log directory is removed.
    public func unregister(containerID: String) {
        logs[containerID] = nil
    }

    /// Container ID → live log path of every registered container.
    public var registeredLogs: [String: String] { logs }

    /// Runs one pass over all registered logs now and returns what happened, sorted by container ID. A pass
    /// started while another runs waits for it, so two passes never touch the same files at once.
    @discardableResult
    public func rotateNow() async -> [LogRotationOutcome] {
        while let running = currentPass { _ = await running.value }
        let pass = Task { await self.pass() }
        currentPass = pass
        let outcomes = await pass.value
        currentPass = nil
        return outcomes
    }

    /// Rotates every `interval` (kubelet: 10 s) until the calling task is cancelled.
    public func run(every interval: Duration = .seconds(10)) async {
        while !Task.isCancelled {
            await rotateNow()
            do {
                try await Task.sleep(for: interval)
            } catch {
                return
            }
        }
    }

    private func pass() async -> [LogRotationOutcome] {
        var outcomes: [LogRotationOutcome] = []
        for (containerID, path) in logs.sorted(by: { $0.key < $1.key }) {
            let outcome = await rotateIfNeeded(containerID: containerID, path: path)
            if case .failed(_, let error) = outcome {
                logger.error("container log rotation failed",
                             metadata: ["containerID": "\(containerID)", "path": "\(path)", "error": "\(error)"])
            }
            outcomes.append(outcome)
        }
        return outcomes
    }

    private func rotateIfNeeded(containerID: String, path: String) async -> LogRotationOutcome {
        var info = stat()
        if stat(path, &info) != 0 {
            let code = errno
            guard code == ENOENT else {
                return .failed(containerID: containerID, error: .io(operation: "stat", path: path, errno: code))
            }
            // A reopen that failed after the rename (and a failed rename back) loses the live file; ask the runtime
            // to create it again, as kubelet does.
            do {
                try await reopener.reopenContainerLog(containerID: containerID)
            } catch {
                return .failed(containerID: containerID,
                               error: .reopenFailed(containerID: containerID, message: "\(error)"))
            }
            guard stat(path, &info) == 0 else {
                return .failed(containerID: containerID, error: .logFileNotFound(path: path))
            }
            return .recreated(containerID: containerID)
        }
        guard Int(info.st_size) >= policy.maxSize else { return .unchanged(containerID: containerID) }
        do throws(ContainerLogError) {
            try removeLeftovers(of: path)
            let kept = try pruneOldest(of: path)
            try await compress(kept)
            let rotatedPath = try await renameAndReopen(containerID: containerID, path: path)
            logger.info("rotated container log", metadata: ["containerID": "\(containerID)", "rotated": "\(rotatedPath)"])
            return .rotated(containerID: containerID, rotatedPath: rotatedPath)
        } catch {
            return .failed(containerID: containerID, error: error)
        }
    }

    /// Deletes interrupted compressions (`*.tmp`) and plain rotated files whose `.gz` copy exists.
    private func removeLeftovers(of path: String) throws(ContainerLogError) {
        let (directory, name) = LogPaths.split(path)
        for entry in try LogPaths.entries(of: directory) where entry.hasPrefix(name + ".") && entry.hasSuffix(".tmp") {
            try remove(directory + "/" + entry)
        }
        let rotated = try LogPaths.rotatedFiles(of: path)
        let compressedKeys = Set(rotated.filter(\.isCompressed).map(\.rotationKey))
        for file in rotated where !file.isCompressed && compressedKeys.contains(file.rotationKey) {
            try remove(file.path)
        }
    }

    /// Keeps the newest `maxFiles - 2` rotated files (room for the one this rotation creates plus the live file)
    /// and deletes the rest, oldest first. Returns the kept ones.
    private func pruneOldest(of path: String) throws(ContainerLogError) -> [RotatedLogFile] {
        let rotated = try LogPaths.rotatedFiles(of: path)
        let keep = policy.maxFiles - 2
        let excess = max(0, rotated.count - keep)
        for file in rotated.prefix(excess) { try remove(file.path) }
        return Array(rotated.dropFirst(excess))
    }

    /// gzips the kept rotated files that are still plain, on a Dispatch queue (compressing 10 MiB takes long
    /// enough that it should not occupy a cooperative-pool thread).
    private func compress(_ files: [RotatedLogFile]) async throws(ContainerLogError) {
        let plain = files.filter { !$0.isCompressed }
        guard !plain.isEmpty else { return }
        guard LogCompression.isAvailable else {
            if !warnedNoCompression {
                warnedNoCompression = true
                logger.warning("this build has no zlib; rotated container logs stay uncompressed")
            }
            return
        }
        for file in plain {
            let result: Result<Void, ContainerLogError> = await withCheckedContinuation { continuation in
                DispatchQueue.global(qos: .utility).async {
                    do throws(ContainerLogError) {
                        try Gzip.compress(source: file.path, destination: file.path + ".gz")
                        guard unlink(file.path) == 0 || errno == ENOENT else {
                            throw ContainerLogError.io(operation: "unlink", path: file.path, errno: errno)
                        }
                        continuation.resume(returning: .success(()))
                    } catch {
                        continuation.resume(returning: .failure(error))
                    }
                }
            }
            try result.get()
        }
    }

    /// Renames the live file to a fresh `<path>.<stamp>[-n]` and asks the runtime to reopen; renames back if the
    /// reopen fails.
    private func renameAndReopen(containerID: String, path: String) async throws(ContainerLogError) -> String {
        let time = now()
        var sequence = 0
        var rotatedPath = path + "." + RotatedLogFile.suffix(for: time, sequence: sequence)
        // kubelet would overwrite a rotation from the same second; keep both instead.
        while access(rotatedPath, F_OK) == 0 || access(rotatedPath + ".gz", F_OK) == 0 {
            sequence += 1
            rotatedPath = path + "." + RotatedLogFile.suffix(for: time, sequence: sequence)
        }
        guard rename(path, rotatedPath) == 0 else {
            throw .io(operation: "rename to \(rotatedPath)", path: path, errno: errno)
        }
        do {
            try await reopener.reopenContainerLog(containerID: containerID)
        } catch {
            // Put the file back so the next pass rotates it again (kubelet does the same). If even that fails,
            // the next pass sees no live file and asks the runtime to create one.
            if rename(rotatedPath, path) != 0 {
                logger.error("could not rename the rotated log back after a failed reopen; the live file is lost",
                             metadata: ["rotated": "\(rotatedPath)", "path": "\(path)",
                                        "error": "\(SystemErrorText.describe(errno))"])
            }
            throw .reopenFailed(containerID: containerID, message: "\(error)")
        }
        return rotatedPath
    }

    private func remove(_ path: String) throws(ContainerLogError) {
        guard unlink(path) == 0 || errno == ENOENT else { throw .io(operation: "unlink", path: path, errno: errno) }
    }
}
