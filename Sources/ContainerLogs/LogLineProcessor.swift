/// Turns physical CRI lines, in file order, into the bytes a client receives: joins `P` parts with their `F`
/// part per stream, applies the stream, `since` and tail-start filters, adds timestamp prefixes and enforces
/// `limitBytes`.
///
/// A logical line takes the timestamp and position of its `F` part (when it was complete). Tail counting, `since`
/// and output order all use that one point, so they agree with each other.
struct LogLineProcessor {
    /// Output produced and not yet handed out.
    var output: [UInt8] = []
    /// Lines that were not CRI format (skipped).
    private(set) var malformedLines = 0
    /// The first malformed line's error, for the report.
    private(set) var firstMalformedError: CRILogLineError?
    /// True once `limitBytes` bytes have been produced; nothing more will be.
    private(set) var limitReached = false

    private let filter: LogStreamFilter
    private let since: LogTimestamp?
    private let timestamps: Bool
    private let maxLogicalLineBytes: Int
    /// Lines whose `F` part is before this position are not emitted (they precede the tail window).
    var emitFrom: LogPosition?
    private var remaining: Int?
    private var pendingStdout = PendingLine()
    private var pendingStderr = PendingLine()
    private var timestampCache = TimestampCache()

    /// A logical line being assembled from `P` parts.
    private struct PendingLine {
        var bytes: [UInt8] = []
        /// Set once part of an over-long line has been emitted (or dropped) early to bound memory: the rest
        /// follows that decision and gets no second prefix.
        var earlyDecision: Bool?
        var isEmpty: Bool { bytes.isEmpty && earlyDecision == nil }
    }

    /// A processor with default options, as a cheap placeholder while the real one is swapped out.
    static var idle: LogLineProcessor { LogLineProcessor(options: LogReadOptions(), maxLogicalLineBytes: 1024) }

    init(options: LogReadOptions, maxLogicalLineBytes: Int) {
        filter = options.stream
        since = options.since
        timestamps = options.timestamps
        remaining = options.limitBytes
        self.maxLogicalLineBytes = maxLogicalLineBytes
    }

    /// Feeds one physical line (without its newline) found at `position`.
    mutating func process(_ line: UnsafeBufferPointer<UInt8>, at position: LogPosition) {
        guard !limitReached else { return }
        let header: CRILogLineHeader
        switch CRILogLineHeader.parse(line, cache: &timestampCache) {
        case .success(let parsed):
            header = parsed
        case .failure(let error):
            malformedLines += 1
            if firstMalformedError == nil { firstMalformedError = error }
            return
        }
        // Lines of a stream nobody asked for are not even joined.
        guard filter.includes(header.stream) else { return }
        // Built from the base address: slicing an UnsafeBufferPointer is a generic call in debug builds.
        let content = UnsafeBufferPointer(start: line.baseAddress.map { $0 + header.contentStart },
                                          count: line.count - header.contentStart)
        // Moved out and back (not copied) so `handle` can mutate both it and the output.
        if header.stream == .stdout {
            var pending = pendingStdout
            pendingStdout = PendingLine()
            handle(header, content, position, &pending)
            pendingStdout = pending
        } else {
            var pending = pendingStderr
            pendingStderr = PendingLine()
            handle(header, content, position, &pending)
            pendingStderr = pending
        }
    }

    /// Forgets half-assembled lines (a follower that jumped files after truncation).
    mutating func resetPending() {
        pendingStdout = PendingLine()
        pendingStderr = PendingLine()
    }

    private mutating func handle(_ header: CRILogLineHeader, _ content: UnsafeBufferPointer<UInt8>,
                                 _ position: LogPosition, _ pending: inout PendingLine) {
        if header.isPartial {
            pending.bytes.append(contentsOf: content)
            if pending.bytes.count >= maxLogicalLineBytes {
                // Bounded memory for an endless run of P parts: emit what we have now, without a newline.
                let emit = pending.earlyDecision ?? passes(header.timestamp, position)
                if emit {
                    if pending.earlyDecision == nil { appendPrefix(header.timestamp) }
                    append(pending.bytes)
                }
                pending.earlyDecision = emit
                pending.bytes.removeAll(keepingCapacity: true)
            }
            return
        }
        if pending.isEmpty {
            if passes(header.timestamp, position) {
                appendPrefix(header.timestamp)
                append(content)
                append(newline: ())
            }
            return
        }
        let emit = pending.earlyDecision ?? passes(header.timestamp, position)
        if emit {
            if pending.earlyDecision == nil { appendPrefix(header.timestamp) }
            append(pending.bytes)
            append(content)
            append(newline: ())
        }
        pending.bytes.removeAll(keepingCapacity: pending.bytes.capacity <= 64 * 1024)
        pending.earlyDecision = nil
    }

    private func passes(_ timestamp: LogTimestamp, _ position: LogPosition) -> Bool {
        if let emitFrom, position < emitFrom { return false }
        if let since, timestamp < since { return false }
        return true
    }

    private mutating func appendPrefix(_ timestamp: LogTimestamp) {
        guard timestamps, !limitReached else { return }
        // Formatted straight into the output, then trimmed if it crossed the limit: no temporary array per line.
        let before = output.count
        timestamp.appendRFC3339NanoFixed(to: &output)
        output.append(UInt8(ascii: " "))
        account(output.count - before)
    }

    private mutating func append(newline: Void) {
        guard !limitReached else { return }
        output.append(UInt8(ascii: "\n"))
        account(1)
    }

    private mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { append($0) }
    }

    private mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard !limitReached else { return }
        output.append(contentsOf: bytes)
        account(bytes.count)
    }

    /// Counts bytes just appended against `limitBytes`, cutting the output exactly at the limit (kubelet's
    /// LimitedWriter cuts mid-line too) and stopping there.
    private mutating func account(_ added: Int) {
        guard let left = remaining else { return }
        if added < left {
            remaining = left - added
        } else {
            output.removeLast(added - left)
            remaining = 0
            limitReached = true
        }
    }
}
