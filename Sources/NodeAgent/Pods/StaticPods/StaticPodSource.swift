import FoundationEssentials
import Glibc
import KubeTypes
import Logging

/// Keeps the pods of a manifest directory (kubelet's `--pod-manifest-path`) in step with its files.
///
/// Every `checkPeriod` (kubelet's `--file-check-frequency`) it scans the directory; only files whose size, mtime
/// or inode changed are read again. A new file's pod is created; a removed file's pod is deleted with its grace
/// period; a changed file's pod is deleted and, once its containers are gone, created anew from the new content
/// (its uid changes with the content, as kubelet's does). Hidden files are skipped, as kubelet skips them. A file
/// that does not parse or validate is logged once per version and left alone; its running pod, if any, keeps
/// running until the file is fixed or removed.
public actor StaticPodSource {
    private let directory: String
    private let nodeName: String
    private let pods: PodService
    private let checkPeriod: Duration
    private let logger: Logger
    private var files: [String: ScannedFile] = [:]
    private var task: Task<Void, Never>?

    /// What the last scan saw of one file.
    private struct ScannedFile {
        var signature: FileSignature
        var pod: Pod?
    }

    /// Enough of `stat` to notice an edit, a replacement by rename, or a truncation.
    private struct FileSignature: Equatable {
        var inode: UInt64
        var size: Int64
        var modified: Int64
    }

    /// Creates the source; nothing happens until `start()` or `syncOnce()`.
    public init(directory: String, nodeName: String, pods: PodService, checkPeriod: Duration, logger: Logger) {
        self.directory = directory
        self.nodeName = nodeName
        self.pods = pods
        self.checkPeriod = checkPeriod
        self.logger = logger
    }

    /// Scans now, then every `checkPeriod` until `stop()`.
    public func start() {
        guard task == nil else { return }
        let period = checkPeriod
        task = Task { [weak self] in
            while !Task.isCancelled {
                guard let self else { return }
                await self.syncOnce()
                try? await Task.sleep(for: period)
            }
        }
        logger.info("watching static pod manifests", metadata: ["directory": "\(directory)"])
    }

    /// Stops scanning. Static pods keep running; they are ordinary stored pods.
    public func stop() async {
        let running = task
        task = nil
        running?.cancel()
        await running?.value
    }

    /// One scan: reads changed files, then creates, deletes and replaces pods to match them.
    public func syncOnce() async {
        let desired = scan()
        let stored = await pods.list(where: { StaticPodAnnotations.manifestFile(of: $0) != nil }).items
        var storedByKey: [ObjectKey: Pod] = [:]
        for pod in stored { storedByKey[pod.objectKey] = pod }

        for (key, pod) in storedByKey {
            let wanted = desired[key]
            guard wanted?.metadata.uid != pod.metadata.uid, pod.metadata.deletionTimestamp == nil,
                  let uid = pod.metadata.uid else { continue }
            let why = wanted == nil ? "its manifest file is gone" : "its manifest file changed"
            logger.info("deleting static pod: \(why)", metadata: ["pod": "\(key)"])
            do {
                try await pods.deleteStatic(key, uid: uid)
            } catch {
                logger.warning("deleting static pod failed", metadata: ["pod": "\(key)", "error": "\(error)"])
            }
        }
        for (key, pod) in desired.sorted(by: { $0.key.name < $1.key.name }) where storedByKey[key] == nil {
            if let other = await pods.get(key) {
                if StaticPodAnnotations.manifestFile(of: other) == nil {
                    logger.warning("static pod name is taken by a pod created through the API",
                                   metadata: ["pod": "\(key)", "manifest": "\(StaticPodAnnotations.manifestFile(of: pod) ?? "")"])
                }
                continue
            }
            do {
                _ = try await pods.createStatic(pod)
                logger.info("static pod created", metadata: ["pod": "\(key)", "manifest": "\(StaticPodAnnotations.manifestFile(of: pod) ?? "")"])
            } catch let error as APIStatusError {
                logger.warning("static pod not admitted", metadata: [
                    "pod": "\(key)", "manifest": "\(StaticPodAnnotations.manifestFile(of: pod) ?? "")",
                    "reason": "\(error.status.message ?? "")"])
            } catch {
                logger.warning("static pod not admitted", metadata: ["pod": "\(key)", "error": "\(error)"])
            }
        }
    }

    /// The pods the directory describes now, keyed by namespace/name. Two files naming the same pod: the first in
    /// file-name order wins and the other is reported.
    private func scan() -> [ObjectKey: Pod] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        } catch {
            if !files.isEmpty || !Task.isCancelled {
                logger.warning("cannot read the static pod directory", metadata: ["directory": "\(directory)", "error": "\(error)"])
            }
            // An unreadable directory is not an empty one: keep the pods of the last good scan.
            return Dictionary(files.values.compactMap { $0.pod }.map { ($0.objectKey, $0) }, uniquingKeysWith: { first, _ in first })
        }
        var seen: [String: ScannedFile] = [:]
        var desired: [ObjectKey: Pod] = [:]
        for name in names where !name.hasPrefix(".") {
            let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            guard let signature = Self.signature(of: path) else { continue }
            var entry: ScannedFile
            if let previous = files[path], previous.signature == signature {
                entry = previous
            } else {
                // A file edited into something invalid keeps its last good pod running rather than killing it.
                entry = ScannedFile(signature: signature, pod: read(path) ?? files[path]?.pod)
            }
            seen[path] = entry
            guard let pod = entry.pod else { continue }
            if let first = desired[pod.objectKey] {
                logger.warning("two manifests name the same pod; ignoring the second", metadata: [
                    "pod": "\(pod.objectKey)", "kept": "\(StaticPodAnnotations.manifestFile(of: first) ?? "")", "ignored": "\(path)"])
                continue
            }
            desired[pod.objectKey] = pod
        }
        files = seen
        return desired
    }

    private func read(_ path: String) -> Pod? {
        guard let data = FileManager.default.contents(atPath: path) else {
            logger.warning("cannot read static pod manifest", metadata: ["manifest": "\(path)"])
            return nil
        }
        do {
            return try StaticPodManifest.pod(from: Array(data), path: path, nodeName: nodeName)
        } catch {
            logger.error("invalid static pod manifest", metadata: ["manifest": "\(path)", "error": "\(error)"])
            return nil
        }
    }

    /// The signature of a regular file; nil for directories, sockets and files that vanished.
    private static func signature(of path: String) -> FileSignature? {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        let modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        return FileSignature(inode: UInt64(info.st_ino), size: Int64(info.st_size), modified: modified)
    }
}
