/// Finds where to start reading for `tailLines` and `since` by reading the log history backwards in blocks with
/// `pread`, newest file first, so the cost depends on the lines wanted, not on the size of the log.
///
/// It counts logical lines: an `F` part ends one (per stream), and the line's `P` parts come before it. For each
/// counted line it keeps scanning back until the line's first part is found, so the start position never cuts a
/// joined line. Lines from the start up to `emitFrom` are read again forwards only to join parts, not emitted.
struct TailLocator {
    /// Where forward reading starts and the earliest `F` position that may be emitted.
    struct Result: Equatable {
        var start: LogPosition
        var emitFrom: LogPosition?
    }

    let segments: [LogSegment]
    /// Bytes of the newest segment that belong to this read (its size when the read started).
    let liveEnd: Int
    let blockSize: Int
    let counter: ReadCounter

    func locate(tailLines: Int?, since: LogTimestamp?, filter: LogStreamFilter) throws(ContainerLogError) -> Result {
        guard tailLines != nil || since != nil else {
            return Result(start: LogPosition(segment: 0, offset: 0), emitFrom: nil)
        }
        var scan = BackwardCount(tailLines: tailLines, since: since, filter: filter)
        var completeEnd: LogPosition?
        var segmentIndex = segments.count - 1
        scanning: while segmentIndex >= 0 {
            let stop: Bool
            do {
                let end = segmentIndex == segments.count - 1 ? liveEnd : try segments[segmentIndex].size(counter: counter)
                stop = try scanSegment(segmentIndex, end: end) { line, offset in
                    let position = LogPosition(segment: segmentIndex, offset: offset)
                    if completeEnd == nil {
                        completeEnd = LogPosition(segment: segmentIndex, offset: offset + line.count + 1)
                    }
                    return scan.visit(line, at: position)
                }
            } catch {
                // All wanted lines are counted and only their first parts are looked for: an unreadable older file
                // (corrupt .gz) then just means the lines start at the next file.
                if scan.isCountingDone { break scanning }
                throw error
            }
            if stop { break scanning }
            segmentIndex -= 1
        }
        // The end of the complete lines: a tail window that holds nothing starts here (never mid-line).
        let end = completeEnd ?? LogPosition(segment: segments.count - 1, offset: 0)
        return scan.result(end: end)
    }

    /// Calls `visit` for each complete line of a segment, last line first, with the line's starting offset. The
    /// bytes after the segment's last newline (a line still being written) are skipped. Returns true when `visit`
    /// asked to stop.
    private func scanSegment(_ index: Int, end: Int,
                             _ visit: (UnsafeBufferPointer<UInt8>, Int) -> Bool) throws(ContainerLogError) -> Bool {
        let segment = segments[index]
        var block = [UInt8](repeating: 0, count: blockSize)
        // Start of a line found in a later block, whose beginning lies in an earlier block.
        var fragment: [UInt8] = []
        var sawNewline = false
        var position = end
        while position > 0 {
            let blockStart = max(0, position - blockSize)
            let wanted = position - blockStart
            var filled = 0
            while filled < wanted {
                let n = try segment.read(at: blockStart + filled, into: &block, range: filled..<wanted, counter: counter)
                // The file shrank under us (truncated): treat what we have as the whole block.
                if n == 0 { break }
                filled += n
            }
            let stop: Bool = block.withUnsafeBufferPointer { buf in
                var lineEnd = filled
                var j = filled - 1
                while j >= 0 {
                    if buf[j] == UInt8(ascii: "\n") {
                        if !sawNewline {
                            // Everything after the last newline is an incomplete line: not counted.
                            sawNewline = true
                            fragment.removeAll()
                        } else {
                            let stop: Bool
                            if fragment.isEmpty {
                                stop = visit(UnsafeBufferPointer(rebasing: buf[(j + 1)..<lineEnd]), blockStart + j + 1)
                            } else {
                                let line = Array(buf[(j + 1)..<lineEnd]) + fragment
                                fragment.removeAll()
                                stop = line.withUnsafeBufferPointer { visit($0, blockStart + j + 1) }
                            }
                            if stop { return true }
                        }
                        lineEnd = j
                    }
                    j -= 1
                }
                if sawNewline {
                    fragment = Array(buf[0..<lineEnd]) + fragment
                }
                return false
            }
            if stop { return true }
            position = blockStart
        }
        if sawNewline {
            // The segment's first line.
            return fragment.withUnsafeBufferPointer { visit($0, 0) }
        }
        return false
    }
}

/// The counting state of `TailLocator`, visited with physical lines newest first.
private struct BackwardCount {
    let tailLines: Int?
    let since: LogTimestamp?
    let filter: LogStreamFilter
    private var counted = 0
    private var done: Bool
    /// Counted logical lines whose first part is still being looked for, per stream.
    private var openFirstPart: [LogStream: LogPosition] = [:]
    private var start: LogPosition?
    private var emitFrom: LogPosition?

    init(tailLines: Int?, since: LogTimestamp?, filter: LogStreamFilter) {
        self.tailLines = tailLines
        self.since = since
        self.filter = filter
        done = tailLines == 0
    }

    /// True once enough lines are counted (or `since` was passed); only first parts are still looked for.
    var isCountingDone: Bool { done }

    /// Returns true when scanning can stop.
    mutating func visit(_ line: UnsafeBufferPointer<UInt8>, at position: LogPosition) -> Bool {
        if done && openFirstPart.isEmpty { return true }
        guard case .success(let header) = CRILogLineHeader.parse(line) else { return false }
        let stream = header.stream
        if header.isPartial {
            if openFirstPart[stream] != nil { openFirstPart[stream] = position }
            return false
        }
        // An F part closes the previous logical line of its stream: that line's first part is the last P seen.
        if let first = openFirstPart.removeValue(forKey: stream) {
            start = min(start ?? first, first)
        }
        if done { return openFirstPart.isEmpty }
        if let since, header.timestamp < since {
            // Older lines are all before `since` too (containerd writes in time order): stop counting.
            done = true
            return openFirstPart.isEmpty
        }
        guard filter.includes(stream) else { return false }
        counted += 1
        emitFrom = position
        openFirstPart[stream] = position
        if let tailLines, counted >= tailLines { done = true }
        return false
    }

    /// The answer once scanning stopped or ran out of lines.
    func result(end: LogPosition) -> TailLocator.Result {
        guard let emitFrom else { return TailLocator.Result(start: end, emitFrom: end) }
        var start = self.start ?? emitFrom
        for first in openFirstPart.values { start = min(start, first) }
        return TailLocator.Result(start: start, emitFrom: emitFrom)
    }
}
