import Glibc
import Logging

/// The engine behind `ContainerLogStream`: reads the snapshot of log files forwards from the tail start, feeds
/// physical lines to `LogLineProcessor`, and in follow mode waits on inotify for more, switching to the new live
/// file after a rotation.
///
/// It is pull-driven: nothing is read until the consumer asks for the next chunk, so a writer faster than the
/// consumer costs disk space, not memory (one read block, one output chunk and one joined line at most).
final class LogPump {
    private let livePath: String
    private let options: LogReadOptions
    private let configuration: ContainerLogReader.Configuration
    private let logger: Logger
    private let isTerminated: @Sendable () async -> Bool
    let counter = ReadCounter()

    private var segments: [LogSegment]
    /// Size of the live file when the read started: a non-follow read stops there.
    private var liveEndAtOpen: Int?
    private var processor: LogLineProcessor
    private var cursor: Cursor
    /// The previous live file after a rotation: the runtime may still write its last lines there for a moment.
    private var retired: (cursor: Cursor, until: ContinuousClock.Instant)?
    private var watcher: DirectoryWatcher?
    private var located = false
    private var finished = false
    private var terminationSeen = false
    private var nextTerminationCheck: ContinuousClock.Instant?
    private var readBuffer: [UInt8]

    /// Reading position in one segment, with the start of a line cut by the end of the last read.
    private struct Cursor {
        var segment: Int
        var offset: Int
        var carry: [UInt8] = []
        /// Set while skipping the rest of an over-long physical line.
        var skippingLongLine = false
    }

    init(livePath: String, segments: [LogSegment], options: LogReadOptions,
         configuration: ContainerLogReader.Configuration, logger: Logger,
         isTerminated: @escaping @Sendable () async -> Bool) {
        self.livePath = livePath
        self.segments = segments
        self.options = options
        self.configuration = configuration
        self.logger = logger
        self.isTerminated = isTerminated
        self.processor = LogLineProcessor(options: options, maxLogicalLineBytes: configuration.maxLogicalLineBytes)
        self.cursor = Cursor(segment: 0, offset: 0)
        self.readBuffer = [UInt8](repeating: 0, count: configuration.blockSize)
    }

    deinit { releaseResources() }

    /// Bytes read from disk so far.
    var bytesRead: Int { counter.value }
    /// Lines skipped because they were not in CRI format.
    var malformedLines: Int { processor.malformedLines }

    /// Starts watching before anything is read, so lines written between the first read and the first wait
    /// still wake the follower.
    func prepare() throws(ContainerLogError) {
        if options.follow {
            watcher = try DirectoryWatcher(directory: LogPaths.split(livePath).directory)
        } else {
            liveEndAtOpen = try segments[segments.count - 1].size(counter: counter)
        }
    }

    /// The next chunk of output, or nil at the end (all read, limit reached, container terminated and drained,
    /// or the task cancelled).
    func nextChunk(isolation: isolated (any Actor)? = #isolation) async throws(ContainerLogError) -> [UInt8]? {
        if finished { return nil }
        do {
            return try await produce()
        } catch {
            finish()
            throw error
        }
    }

    /// Stops now and releases descriptors (consumer gave up early).
    func finish() {
        if !finished, processor.malformedLines > 0 {
            // Reported once per request rather than per line: a corrupt file would otherwise flood the log.
            logger.warning("skipped lines that are not in the CRI log format", metadata: [
                "path": "\(livePath)", "count": "\(processor.malformedLines)",
                "first": "\(processor.firstMalformedError.map { "\($0)" } ?? "")",
            ])
        }
        finished = true
        processor.output = []
        releaseResources()
    }

    private func produce(isolation: isolated (any Actor)? = #isolation) async throws(ContainerLogError) -> [UInt8]? {
        if !located { try locateStart() }
        while true {
            if Task.isCancelled {
                finish()
                return nil
            }
            if processor.limitReached {
                let chunk = takeOutput()
                finish()
                return chunk
            }
            if processor.output.count >= configuration.chunkSize { return takeOutput() }
            switch try readStep() {
            case .progressed:
                continue
            case .endOfData:
                break
            }
            if !processor.output.isEmpty { return takeOutput() }
            guard options.follow, let watcher else {
                finish()
                return nil
            }
            // Follow: take the event mark first, then look once more, then wait for a change after that mark.
            let mark = watcher.eventCount
            if try switchToNewLiveFileIfRotated() { continue }
            if try drainRetired() { continue }
            if case .progressed = try readStep() { continue }
            if terminationSeen {
                // The container had ended and the file has now been read to its end once more.
                finish()
                return nil
            }
            let now = ContinuousClock.now
            if nextTerminationCheck.map({ now >= $0 }) ?? true {
                nextTerminationCheck = now + configuration.terminationCheckInterval
                if await isTerminated() {
                    // Drain whatever was written before the exit, then end at the next end of data.
                    terminationSeen = true
                    continue
                }
            }
            var timeout = configuration.terminationCheckInterval
            if let next = nextTerminationCheck { timeout = min(timeout, max(.zero, next - now)) }
            if let retired { timeout = min(timeout, max(.milliseconds(10), retired.until - now)) }
            switch await watcher.wait(after: mark, timeout: timeout) {
            case .event, .timeout:
                continue
            case .cancelled, .closed:
                finish()
                return nil
            }
        }
    }

    private func takeOutput() -> [UInt8] {
        let chunk = processor.output
        processor.output = []
        processor.output.reserveCapacity(min(configuration.chunkSize + configuration.blockSize, chunk.count))
        return chunk
    }

    private func locateStart() throws(ContainerLogError) {
        located = true
        let liveEnd: Int
        if let end = liveEndAtOpen {
            liveEnd = end
        } else {
            liveEnd = try segments[segments.count - 1].size(counter: counter)
        }
        let locator = TailLocator(segments: segments, liveEnd: liveEnd, blockSize: configuration.blockSize,
                                  counter: counter)
        let result = try locator.locate(tailLines: options.tailLines, since: options.since, filter: options.stream)
        processor.emitFrom = result.emitFrom
        cursor = Cursor(segment: result.start.segment, offset: result.start.offset)
        // Files before the start are not needed: free their descriptors (and decompressed text) now.
        for index in 0..<result.start.segment { segments[index].close() }
    }

    private enum Step { case progressed, endOfData }

    /// Reads one block at the cursor, or moves to the next segment at the end of an older one.
    private func readStep() throws(ContainerLogError) -> Step {
        let isLive = cursor.segment == segments.count - 1
        var wanted = readBuffer.count
        if isLive, let end = liveEndAtOpen {
            wanted = min(wanted, end - cursor.offset)
            if wanted <= 0 { return .endOfData }
        }
        let segment = segments[cursor.segment]
        let offset = cursor.offset
        let n = try segment.read(at: offset, into: &readBuffer, range: 0..<wanted, counter: counter)
        if n == 0 {
            if !isLive {
                if !cursor.carry.isEmpty { logger.debug("incomplete last line in rotated log", metadata: ["path": "\(segment.path)"]) }
                segment.close()
                cursor = Cursor(segment: cursor.segment + 1, offset: 0)
                return .progressed
            }
            if options.follow, try segment.size(counter: counter) < cursor.offset {
                // Truncated in place (copytruncate): start over at the beginning.
                logger.info("container log truncated; reading from its start", metadata: ["path": "\(segment.path)"])
                cursor = Cursor(segment: cursor.segment, offset: 0)
                processor.resetPending()
                return .progressed
            }
            return .endOfData
        }
        consume(count: n, into: &cursor)
        return .progressed
    }

    /// Splits `readBuffer[0..<count]` (read at `cursor.offset`) into lines for the processor.
    private func consume(count: Int, into cursor: inout Cursor) {
        let base = cursor.offset
        let segment = cursor.segment
        let maxPhysical = configuration.maxLogicalLineBytes + 256
        // Work on a local processor: a class property would pay a dynamic exclusivity check on every line.
        var processor = LogLineProcessor.idle
        swap(&processor, &self.processor)
        defer { swap(&processor, &self.processor) }
        readBuffer.withUnsafeBufferPointer { buf in
            guard let start = buf.baseAddress else { return }
            var lineStart = 0
            while lineStart < count,
                  let found = memchr(start + lineStart, Int32(UInt8(ascii: "\n")), count - lineStart) {
                let newline = UnsafeRawPointer(found).assumingMemoryBound(to: UInt8.self) - start
                if cursor.skippingLongLine {
                    cursor.skippingLongLine = false
                } else if cursor.carry.isEmpty {
                    processor.process(UnsafeBufferPointer(start: start + lineStart, count: newline - lineStart),
                                      at: LogPosition(segment: segment, offset: base + lineStart))
                } else {
                    let carryStart = base - cursor.carry.count
                    cursor.carry.append(contentsOf: buf[lineStart..<newline])
                    cursor.carry.withUnsafeBufferPointer {
                        processor.process($0, at: LogPosition(segment: segment, offset: carryStart))
                    }
                    cursor.carry.removeAll(keepingCapacity: true)
                }
                lineStart = newline + 1
            }
            if lineStart < count && !cursor.skippingLongLine {
                cursor.carry.append(contentsOf: buf[lineStart..<count])
                if cursor.carry.count > maxPhysical {
                    // Not a CRI line (containerd splits at 16 KiB): drop it rather than grow without bound.
                    cursor.carry.removeAll()
                    cursor.skippingLongLine = true
                }
            }
        }
        cursor.offset = base + count
    }

    /// After the live file reached its end: if a different file now sits at the live path, the log was rotated.
    /// The old file becomes `retired` (read again for a grace period) and the new one is read from its start.
    private func switchToNewLiveFileIfRotated() throws(ContainerLogError) -> Bool {
        let current = segments[segments.count - 1]
        guard let identity = FileIdentity.of(path: livePath), identity != current.identity else { return false }
        let file: LogFile
        do {
            file = try LogFile(path: livePath)
        } catch .logFileNotFound {
            return false  // renamed again in between; the next event brings us back here
        }
        if var old = retired {
            drain(updating: &old.cursor)
            segments[old.cursor.segment].close()
        }
        retired = (cursor, ContinuousClock.now + configuration.rotationGracePeriod)
        segments.append(LogSegment(file: file, isCompressed: false,
                                   maxDecompressedBytes: configuration.maxDecompressedBytes))
        cursor = Cursor(segment: segments.count - 1, offset: 0)
        logger.debug("following the new log file after rotation", metadata: ["path": "\(livePath)"])
        return true
    }

    /// Reads lines appended late to the previous live file; closes it once its grace period is over.
    private func drainRetired() throws(ContainerLogError) -> Bool {
        guard var old = retired else { return false }
        let before = old.cursor.offset
        drain(updating: &old.cursor)
        if old.cursor.offset != before {
            retired = old
            return true
        }
        if ContinuousClock.now >= old.until {
            segments[old.cursor.segment].close()
            retired = nil
        }
        return false
    }

    /// Reads a retired file to its current end. Errors only end the grace period early: the data is gone.
    private func drain(updating cursor: inout Cursor) {
        let segment = segments[cursor.segment]
        while true {
            let offset = cursor.offset
            let n: Int
            do {
                n = try segment.read(at: offset, into: &readBuffer, range: 0..<readBuffer.count, counter: counter)
            } catch {
                return
            }
            if n == 0 { return }
            consume(count: n, into: &cursor)
        }
    }

    private func releaseResources() {
        watcher?.close()
        watcher = nil
        for segment in segments { segment.close() }
        retired = nil
    }
}
