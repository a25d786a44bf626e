import Logging

/// Reads one container's log: the live CRI log file plus its rotated predecessors (`<path>.<timestamp>` and
/// compressed `<path>.<timestamp>.gz`), oldest first, with kubelet's options.
///
/// ```swift
/// let stream = try ContainerLogReader(path: logPath).open(options) { await runtime.isExited(id) }
/// for try await chunk in stream { try await response.write(chunk) }
/// ```
public struct ContainerLogReader: Sendable {
    /// Tuning knobs; the defaults suit production.
    public struct Configuration: Sendable {
        /// Bytes per `pread` (forwards and backwards).
        public var blockSize: Int
        /// A chunk is handed to the consumer once it holds at least this many bytes (or at the end of data).
        public var chunkSize: Int
        /// A run of `P` parts longer than this is emitted in pieces instead of being joined in memory.
        public var maxLogicalLineBytes: Int
        /// How often a follower asks `isTerminated` while the file is idle (it also asks at the first idle end).
        public var terminationCheckInterval: Duration
        /// How long a follower keeps reading the previous file after a rotation, for lines the runtime wrote
        /// there between the rename and `ReopenContainerLog`.
        public var rotationGracePeriod: Duration
        /// Refuse compressed rotated files that decompress to more than this.
        public var maxDecompressedBytes: Int

        /// Defaults: 64 KiB blocks and chunks, 1 MiB joined lines, a 1 s termination check, a 1 s rotation grace
        /// period and 256 MiB per decompressed file.
        public init(blockSize: Int = 64 * 1024, chunkSize: Int = 64 * 1024, maxLogicalLineBytes: Int = 1 << 20,
                    terminationCheckInterval: Duration = .seconds(1), rotationGracePeriod: Duration = .seconds(1),
                    maxDecompressedBytes: Int = 256 << 20) {
            self.blockSize = max(512, blockSize)
            self.chunkSize = max(1, chunkSize)
            self.maxLogicalLineBytes = max(1024, maxLogicalLineBytes)
            self.terminationCheckInterval = terminationCheckInterval
            self.rotationGracePeriod = rotationGracePeriod
            self.maxDecompressedBytes = maxDecompressedBytes
        }
    }

    /// The live log file (`<log_directory>/<log_path>` of the container).
    public let path: String
    /// Tuning.
    public let configuration: Configuration
    private let logger: Logger

    /// A reader of the log at `path`.
    public init(path: String, configuration: Configuration = Configuration(),
                logger: Logger = Logger(label: "swiftlet.container-logs")) {
        self.path = path
        self.configuration = configuration
        self.logger = logger
    }

    /// Opens the log for one request. Throws `logFileNotFound` when the live file does not exist and
    /// `invalidOptions` for bad options, before any output, so the caller can still answer 404/400.
    ///
    /// - Parameter isTerminated: asked by a follower when the file is idle; once it returns true the follower
    ///   reads to the end of the file and finishes. Not used without `follow`. The default never terminates, so the
    ///   stream then ends only when the consumer cancels or stops iterating.
    public func open(_ options: LogReadOptions,
                     isTerminated: @escaping @Sendable () async -> Bool = { false }) throws(ContainerLogError) -> ContainerLogStream {
        try options.validate()
        let live = try LogFile(path: path)
        var segments: [LogSegment] = []
        var seenRotations = Set<String>()
        // Open every rotated file now: a rotation or compression during the read then cannot pull data away.
        for rotated in try LogPaths.rotatedFiles(of: path) {
            guard !seenRotations.contains(rotated.rotationKey) else { continue }
            let file: LogFile
            do {
                file = try LogFile(path: rotated.path)
            } catch .logFileNotFound {
                continue  // compressed (the .gz entry follows) or pruned since the listing
            }
            seenRotations.insert(rotated.rotationKey)
            segments.append(LogSegment(file: file, isCompressed: rotated.isCompressed,
                                       maxDecompressedBytes: configuration.maxDecompressedBytes))
        }
        segments.append(LogSegment(file: live, isCompressed: false,
                                   maxDecompressedBytes: configuration.maxDecompressedBytes))
        let pump = LogPump(livePath: path, segments: segments, options: options, configuration: configuration,
                           logger: logger, isTerminated: isTerminated)
        try pump.prepare()
        return ContainerLogStream(pump: pump)
    }
}
