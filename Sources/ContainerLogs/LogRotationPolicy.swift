/// kubelet's `--container-log-max-size` and `--container-log-max-files`.
public struct LogRotationPolicy: Sendable, Hashable {
    /// Rotate a live log once it reaches this many bytes (default 10 MiB).
    public let maxSize: Int
    /// Files kept per container, the live one included (default 5, at least 2).
    public let maxFiles: Int

    /// kubelet's defaults: 10 MiB, 5 files.
    public static let `default` = LogRotationPolicy(checkedMaxSize: 10 * 1024 * 1024, maxFiles: 5)

    /// A policy; throws `invalidPolicy` for a non-positive size or fewer than 2 files (kubelet's validation: the
    /// live file plus the newest rotated file, which stays uncompressed).
    public init(maxSize: Int = 10 * 1024 * 1024, maxFiles: Int = 5) throws(ContainerLogError) {
        guard maxSize > 0 else { throw .invalidPolicy("maxSize must be positive, got \(maxSize)") }
        guard maxFiles >= 2 else { throw .invalidPolicy("maxFiles must be at least 2, got \(maxFiles)") }
        self.init(checkedMaxSize: maxSize, maxFiles: maxFiles)
    }

    private init(checkedMaxSize: Int, maxFiles: Int) {
        self.maxSize = checkedMaxSize
        self.maxFiles = maxFiles
    }
}

/// What one rotation pass did for one container.
public enum LogRotationOutcome: Sendable, Hashable {
    /// Below the size limit: nothing to do.
    case unchanged(containerID: String)
    /// Renamed to `rotatedPath` and reopened.
    case rotated(containerID: String, rotatedPath: String)
    /// The live file was missing and `ReopenContainerLog` recreated it (kubelet's recovery after a failed reopen).
    case recreated(containerID: String)
    /// Something failed; the live file is where it was (a failed reopen was undone by renaming back).
    case failed(containerID: String, error: ContainerLogError)
}
