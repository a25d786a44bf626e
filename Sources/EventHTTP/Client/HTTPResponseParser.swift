/// Incremental parser of the one HTTP/1.1 response a client connection carries (RFC 9112): the head, then the body
/// framed by Content-Length, chunked coding or the end of the connection, of which at most `maxBodyBytes` are kept.
///
/// Why a bound and early completion: probes and hooks only need the status, a redirect's Location and the first
/// bytes of the body for messages (kubelet keeps 10 KiB), so the exchange ends as soon as those are in hand
/// instead of draining a large body.
struct HTTPResponseParser {
    /// Where the parse stands after the bytes fed so far.
    enum Progress: Equatable {
        case needMore
        case complete
        case failed(String)
    }

    private enum Framing {
        case length(Int)
        case chunked
        case untilClose
    }

    private enum ChunkState {
        case size
        case data(Int)
        case dataEnd
        case trailer
    }

    private enum State {
        case head
        case body(Framing)
        case done
    }

    /// The largest response head accepted.
    static let maxHeadBytes = 64 * 1024

    let maxBodyBytes: Int
    /// The status code of the final (non-1xx) response, once its head is parsed.
    private(set) var status = 0
    /// Header fields in the order received, names as sent.
    private(set) var headers = HTTPHeaders()
    /// At most `maxBodyBytes` of the body, chunked coding removed.
    private(set) var body: [UInt8] = []
    /// True when the body was longer than what was kept.
    private(set) var truncated = false

    private var state = State.head
    private var chunk = ChunkState.size
    private var pending: [UInt8] = []

    /// A parser keeping at most `maxBodyBytes` of the body.
    init(maxBodyBytes: Int) {
        self.maxBodyBytes = max(0, maxBodyBytes)
    }

    /// Consumes `bytes`.
    mutating func feed(_ bytes: some Sequence<UInt8>) -> Progress {
        if case .done = state { return .complete }
        pending.append(contentsOf: bytes)
        return advance()
    }

    /// The connection ended: a body delimited by the close is complete; anything else cut short is an error.
    mutating func finish() -> Progress {
        switch state {
        case .done: return .complete
        case .head: return .failed(status == 0 && pending.isEmpty ? "EOF" : "unexpected EOF in the response head")
        case .body(.untilClose):
            state = .done
            return .complete
        case .body: return .failed("unexpected EOF")
        }
    }

    private mutating func advance() -> Progress {
        var offset = 0
        defer { pending.removeFirst(offset) }
        while true {
            switch state {
            case .done:
                return .complete
            case .head:
                let end = Self.headEnd(pending, from: offset)
                // The bound holds for a head that arrived whole in one read too.
                if (end.map { $0.bodyStart - offset } ?? pending.count - offset) > Self.maxHeadBytes {
                    state = .done
                    return .failed("the response head exceeds \(Self.maxHeadBytes) bytes")
                }
                guard let end else { return .needMore }
                let result = parseHead(pending[offset..<end.lineEnd])
                offset = end.bodyStart
                switch result {
                case .failure(let error):
                    state = .done
                    return .failed(error.message)
                case .success(let framing):
                    guard let framing else { continue }  // an interim 1xx response: the real one follows
                    state = .body(framing)
                    if case .length(0) = framing { state = .done }
                }
            case .body(.length(let remaining)):
                let take = min(remaining, pending.count - offset)
                keep(pending[offset..<(offset + take)])
                offset += take
                state = remaining - take == 0 || truncated ? .done : .body(.length(remaining - take))
                if case .body = state { return .needMore }
            case .body(.untilClose):
                keep(pending[offset...])
                offset = pending.count
                if truncated { state = .done } else { return .needMore }
            case .body(.chunked):
                switch advanceChunked(&offset) {
                case .needMore: return .needMore
                case .failed(let message):
                    state = .done
                    return .failed(message)
                case .complete: state = .done
                }
            }
        }
    }

    private mutating func keep(_ bytes: ArraySlice<UInt8>) {
        let room = maxBodyBytes - body.count
        if bytes.count > room {
            body.append(contentsOf: bytes.prefix(room))
            truncated = true
        } else {
            body.append(contentsOf: bytes)
        }
    }

    private mutating func advanceChunked(_ offset: inout Int) -> Progress {
        while true {
            if truncated { return .complete }
            switch chunk {
            case .size:
                guard let lineEnd = Self.lineEnd(pending, from: offset) else {
                    return pending.count - offset > 1024 ? .failed("chunk size line too long") : .needMore
                }
                let line = pending[offset..<lineEnd]
                offset = lineEnd + 2
                let digits = line.prefix { $0 != UInt8(ascii: ";") }.filter { $0 != 0x20 && $0 != 0x09 }
                guard !digits.isEmpty, digits.count <= 15,
                    let size = Int(String(decoding: digits, as: UTF8.self), radix: 16)
                else { return .failed("invalid chunk size") }
                chunk = size == 0 ? .trailer : .data(size)
            case .data(let remaining):
                guard offset < pending.count else { return .needMore }
                let take = min(remaining, pending.count - offset)
                keep(pending[offset..<(offset + take)])
                offset += take
                chunk = remaining - take == 0 ? .dataEnd : .data(remaining - take)
            case .dataEnd:
                guard pending.count - offset >= 2 else { return .needMore }
                guard pending[offset] == 13 && pending[offset + 1] == 10 else { return .failed("missing CRLF after chunk data") }
                offset += 2
                chunk = .size
            case .trailer:
                guard let lineEnd = Self.lineEnd(pending, from: offset) else {
                    return pending.count - offset > 8192 ? .failed("chunked trailer too long") : .needMore
                }
                let empty = lineEnd == offset
                offset = lineEnd + 2
                if empty { return .complete }
            }
        }
    }

    /// Parses a head (status line and fields, without the blank line). Returns the body's framing, nil for an
    /// interim 1xx response, or why the head is unusable.
    private mutating func parseHead(_ head: ArraySlice<UInt8>) -> Result<Framing?, HeadError> {
        var lines = Self.lines(head)
        guard let statusLine = lines.first else { return .failure(HeadError("empty response head")) }
        lines.removeFirst()
        let parts = statusLine.split(separator: UInt8(ascii: " "), maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0].starts(with: Array("HTTP/1.".utf8)), parts[1].count == 3,
            let code = Int(String(decoding: parts[1], as: UTF8.self)), code >= 100
        else {
            return .failure(HeadError("malformed HTTP response: \"\(String(decoding: statusLine.prefix(80), as: UTF8.self))\""))
        }
        var fields = HTTPHeaders()
        for line in lines {
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > line.startIndex,
                line.first != 0x20, line.first != 0x09
            else { return .failure(HeadError("malformed header line in the response")) }
            let name = String(decoding: line[..<colon], as: UTF8.self)
            let value = line[(colon + 1)...].drop { $0 == 0x20 || $0 == 0x09 }
            let trimmed = value.reversed().drop { $0 == 0x20 || $0 == 0x09 }.reversed()
            fields.add(name, String(decoding: trimmed, as: UTF8.self))
        }
        if code < 200 && code != 101 { return .success(nil) }
        status = code
        headers = fields
        if code == 204 || code == 304 { return .success(.length(0)) }
        if let coding = fields["Transfer-Encoding"] {
            let last = coding.split(separator: ",").last.map { $0.trimmingSpaces.lowercased() } ?? ""
            return .success(last == "chunked" ? .chunked : .untilClose)
        }
        let lengths = Set(fields.values("Content-Length"))
        if lengths.count > 1 { return .failure(HeadError("conflicting Content-Length fields in the response")) }
        if let text = lengths.first {
            // Digits only, as RFC 9110 writes it: Int("+5") would pass.
            guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let length = Int(text) else {
                return .failure(HeadError("invalid Content-Length \"\(text.prefix(40))\" in the response"))
            }
            return .success(.length(length))
        }
        return .success(.untilClose)
    }

    private struct HeadError: Error {
        var message: String
        init(_ message: String) { self.message = message }
    }

    // MARK: Byte scanning

    /// The end of the head's last line and the first body byte, if the blank line has arrived.
    private static func headEnd(_ bytes: [UInt8], from start: Int) -> (lineEnd: Int, bodyStart: Int)? {
        guard bytes.count - start >= 4 else { return nil }
        var i = start
        while i + 3 < bytes.count {
            if bytes[i] == 13 && bytes[i + 1] == 10 && bytes[i + 2] == 13 && bytes[i + 3] == 10 {
                return (i, i + 4)
            }
            i += 1
        }
        return nil
    }

    /// The index of the CR of the next CRLF at or after `start`.
    private static func lineEnd(_ bytes: [UInt8], from start: Int) -> Int? {
        var i = start
        while i + 1 < bytes.count {
            if bytes[i] == 13 && bytes[i + 1] == 10 { return i }
            i += 1
        }
        return nil
    }

    private static func lines(_ head: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
        var result: [ArraySlice<UInt8>] = []
        var start = head.startIndex
        var i = head.startIndex
        while i < head.endIndex {
            if head[i] == 13, i + 1 < head.endIndex, head[i + 1] == 10 {
                result.append(head[start..<i])
                i += 2
                start = i
            } else {
                i += 1
            }
        }
        result.append(head[start..<head.endIndex])
        return result
    }
}

extension HTTPResponseParser.Progress {
    /// Whether the exchange is over, one way or another.
    var isFinal: Bool {
        if case .needMore = self { return false }
        return true
    }
}
