import CLibevent

/// Incremental decoder for a chunked request body (RFC 9112 §7.1), reading from a libevent input buffer.
struct ChunkedDecoder {
    enum State { case size, data(Int), dataEnd, trailer }
    enum Result { case needMore, done, tooLarge, malformed(String) }

    private var state: State = .size
    private var trailerBytes = 0

    /// Consumes what it can from `input`, appending decoded data to `body`.
    mutating func feed(_ input: OpaquePointer, into body: inout [UInt8], limit: Int) -> Result {
        while true {
            switch state {
            case .size:
                guard let line = Self.readLine(input) else {
                    return evbuffer_get_length(input) > 1024 ? .malformed("chunk size line too long") : .needMore
                }
                let sizeText = line.split(separator: ";", maxSplits: 1).first.map { String($0).trimmingSpaces } ?? ""
                guard !sizeText.isEmpty, sizeText.count <= 15, let size = Int(sizeText, radix: 16), size >= 0 else {
                    return .malformed("invalid chunk size")
                }
                if size == 0 {
                    state = .trailer
                } else {
                    if body.count + size > limit { return .tooLarge }
                    state = .data(size)
                }
            case .data(let remaining):
                let available = evbuffer_get_length(input)
                guard available > 0 else { return .needMore }
                let take = min(remaining, available)
                let start = body.count
                body.append(contentsOf: repeatElement(0, count: take))
                _ = body.withUnsafeMutableBytes { buf in
                    evbuffer_remove(input, buf.baseAddress.map { $0 + start }, take)
                }
                state = remaining - take == 0 ? .dataEnd : .data(remaining - take)
            case .dataEnd:
                guard evbuffer_get_length(input) >= 2 else { return .needMore }
                var crlf: (UInt8, UInt8) = (0, 0)
                _ = withUnsafeMutableBytes(of: &crlf) { evbuffer_remove(input, $0.baseAddress, 2) }
                guard crlf == (13, 10) else { return .malformed("missing CRLF after chunk data") }
                state = .size
            case .trailer:
                guard let line = Self.readLine(input) else {
                    return evbuffer_get_length(input) > 8192 ? .malformed("trailer too long") : .needMore
                }
                trailerBytes += line.utf8.count + 2
                if trailerBytes > 8192 { return .malformed("trailer too long") }
                if line.isEmpty { return .done }
            }
        }
    }

    private static func readLine(_ input: OpaquePointer) -> String? {
        var length = 0
        guard let raw = evbuffer_readln(input, &length, EVBUFFER_EOL_CRLF_STRICT) else { return nil }
        defer { free(raw) }
        return String(cString: raw)
    }
}
