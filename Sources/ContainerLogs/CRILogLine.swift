import Glibc

/// One physical line of a CRI log file: `<RFC3339Nano> <stdout|stderr> <F|P> <content>`.
///
/// containerd splits output lines longer than 16 KiB into `P` (partial) parts followed by one `F` (full) part;
/// `LogicalLineAssembler` joins them. The content excludes the line's terminating newline.
public struct CRILogLine: Sendable, Hashable {
    /// When the runtime read this part from the container.
    public var timestamp: LogTimestamp
    /// The stream the part came from.
    public var stream: LogStream
    /// True for a `P` part: the logical line continues in the next part of the same stream.
    public var isPartial: Bool
    /// The bytes after the tag and its separating space (possibly empty), without the trailing newline.
    public var content: [UInt8]

    /// A line from its parts.
    public init(timestamp: LogTimestamp, stream: LogStream, isPartial: Bool, content: [UInt8]) {
        self.timestamp = timestamp
        self.stream = stream
        self.isPartial = isPartial
        self.content = content
    }

    /// Parses one line (without its newline; a trailing `\n` is tolerated and dropped).
    public init(parsing line: some Collection<UInt8>) throws(CRILogLineError) {
        var bytes = Array(line)
        if bytes.last == UInt8(ascii: "\n") { bytes.removeLast() }
        let header = bytes.withUnsafeBufferPointer { CRILogLineHeader.parse($0) }
        switch header {
        case .success(let h):
            self.init(timestamp: h.timestamp, stream: h.stream, isPartial: h.isPartial,
                      content: Array(bytes[h.contentStart...]))
        case .failure(let error):
            throw error
        }
    }

    /// Parses a line given as text (tests and tools).
    public init(parsing text: String) throws(CRILogLineError) {
        try self.init(parsing: Array(text.utf8))
    }

    /// The line in CRI format, with its trailing newline (what containerd writes).
    public var serialized: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(content.count + 48)
        timestamp.appendRFC3339NanoFixed(to: &out)
        out.append(UInt8(ascii: " "))
        out.append(contentsOf: stream.rawValue.utf8)
        out.append(contentsOf: isPartial ? [UInt8(ascii: " "), UInt8(ascii: "P"), UInt8(ascii: " ")]
                                         : [UInt8(ascii: " "), UInt8(ascii: "F"), UInt8(ascii: " ")])
        out.append(contentsOf: content)
        out.append(UInt8(ascii: "\n"))
        return out
    }
}

/// Why a line is not in the CRI log format. Such lines are counted, logged and skipped, never fatal.
public enum CRILogLineError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No space after the timestamp.
    case missingTimestamp
    /// The first field is not an RFC 3339 time.
    case invalidTimestamp
    /// The stream field is missing or is neither `stdout` nor `stderr`.
    case invalidStream
    /// The tag field is missing or its first `:`-separated part is neither `F` nor `P`.
    case invalidTag

    public var description: String {
        switch self {
        case .missingTimestamp: "CRI log line has no timestamp field"
        case .invalidTimestamp: "CRI log line timestamp is not RFC 3339"
        case .invalidStream: "CRI log line stream is not stdout or stderr"
        case .invalidTag: "CRI log line tag is not F or P"
        }
    }
}

/// The fields before the content, parsed in place from a read buffer (no per-line allocation on the hot path).
struct CRILogLineHeader {
    var timestamp: LogTimestamp
    var stream: LogStream
    var isPartial: Bool
    /// Index in the parsed buffer where the content starts (== count when the content is empty).
    var contentStart: Int

    /// Splits on single spaces, as kubelet does: the timestamp has variable width (trailing zeros trimmed).
    static func parse(_ b: UnsafeBufferPointer<UInt8>) -> Result<CRILogLineHeader, CRILogLineError> {
        var cache = TimestampCache()
        return parse(b, cache: &cache)
    }

    /// Same, with a timestamp cache kept across the lines of one read.
    static func parse(_ b: UnsafeBufferPointer<UInt8>, cache: inout TimestampCache) -> Result<CRILogLineHeader, CRILogLineError> {
        let space = UInt8(ascii: " ")
        guard let firstSpace = find(space, in: b, from: 0) else { return .failure(.missingTimestamp) }
        guard let timestamp = LogTimestamp(parsing: UnsafeBufferPointer(start: b.baseAddress, count: firstSpace), cache: &cache) else {
            return .failure(.invalidTimestamp)
        }
        let streamStart = firstSpace + 1
        guard let secondSpace = find(space, in: b, from: streamStart) else { return .failure(.invalidStream) }
        let stream: LogStream
        switch secondSpace - streamStart {
        case 6 where b[streamStart] == UInt8(ascii: "s") && b[streamStart + 3] == UInt8(ascii: "o"):
            guard Self.matches(b, streamStart, "stdout") else { return .failure(.invalidStream) }
            stream = .stdout
        case 6:
            guard Self.matches(b, streamStart, "stderr") else { return .failure(.invalidStream) }
            stream = .stderr
        default:
            return .failure(.invalidStream)
        }
        let tagStart = secondSpace + 1
        // The tag may be the last field when the content is empty and the writer omitted the final space.
        let tagEnd = find(space, in: b, from: tagStart) ?? b.count
        guard tagEnd > tagStart else { return .failure(.invalidTag) }
        // Forward compatible like kubelet: tags are ':'-separated and only the first one matters.
        let firstTagEnd = find(UInt8(ascii: ":"), in: UnsafeBufferPointer(start: b.baseAddress, count: tagEnd), from: tagStart) ?? tagEnd
        guard firstTagEnd - tagStart == 1 else { return .failure(.invalidTag) }
        let isPartial: Bool
        switch b[tagStart] {
        case UInt8(ascii: "P"): isPartial = true
        case UInt8(ascii: "F"): isPartial = false
        default: return .failure(.invalidTag)
        }
        return .success(CRILogLineHeader(timestamp: timestamp, stream: stream, isPartial: isPartial,
                                         contentStart: min(tagEnd + 1, b.count)))
    }

    /// Index of the first `byte` at or after `from` (memchr: generic `firstIndex` on slices dominated debug builds).
    private static func find(_ byte: UInt8, in b: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        guard from < b.count, let base = b.baseAddress,
              let found = memchr(base + from, Int32(byte), b.count - from) else { return nil }
        return UnsafeRawPointer(found).assumingMemoryBound(to: UInt8.self) - base
    }

    private static func matches(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard start + count <= b.count else { return false }
        let w = word.utf8Start
        for i in 0..<count where b[start + i] != w[i] { return false }
        return true
    }
}
