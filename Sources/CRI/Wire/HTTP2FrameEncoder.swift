/// Appends HTTP/2 frames to a byte buffer (RFC 9113 §4.1: 24-bit length, type, flags, 31-bit stream id).
///
/// Callers build a whole request (HEADERS, CONTINUATION, DATA) in one buffer and hand it to one `send`.
struct HTTP2FrameEncoder {
    /// The encoded frames so far.
    var bytes: [UInt8] = []

    /// Appends `frame`. `padding` adds that many zero bytes of padding to DATA and HEADERS (the test peer uses
    /// it; the client never pads).
    mutating func append(_ frame: HTTP2Frame, padding: UInt8? = nil) {
        switch frame {
        case .data(let stream, let payload, let endStream, _):
            appendPadded(type: .data, flags: endStream ? HTTP2Flags.endStream : 0, stream: stream,
                         payload: payload, padding: padding)
        case .headers(let stream, let block, let endStream, let endHeaders):
            let flags = (endStream ? HTTP2Flags.endStream : 0) | (endHeaders ? HTTP2Flags.endHeaders : 0)
            appendPadded(type: .headers, flags: flags, stream: stream, payload: block, padding: padding)
        case .priority(let stream):
            appendHeader(length: 5, type: HTTP2FrameType.priority.rawValue, flags: 0, stream: stream)
            appendUInt32(0)
            bytes.append(15)  // weight 16, the default
        case .rstStream(let stream, let error):
            appendHeader(length: 4, type: HTTP2FrameType.rstStream.rawValue, flags: 0, stream: stream)
            appendUInt32(error.rawValue)
        case .settings(let ack, let parameters):
            appendHeader(length: parameters.count * 6, type: HTTP2FrameType.settings.rawValue,
                         flags: ack ? HTTP2Flags.ack : 0, stream: 0)
            for parameter in parameters {
                bytes.append(UInt8(parameter.identifier >> 8))
                bytes.append(UInt8(parameter.identifier & 0xFF))
                appendUInt32(parameter.value)
            }
        case .pushPromise(let stream, let promised, let block, let endHeaders):
            appendHeader(length: 4 + block.count, type: HTTP2FrameType.pushPromise.rawValue,
                         flags: endHeaders ? HTTP2Flags.endHeaders : 0, stream: stream)
            appendUInt32(promised & 0x7FFF_FFFF)
            bytes.append(contentsOf: block)
        case .ping(let ack, let data):
            appendHeader(length: 8, type: HTTP2FrameType.ping.rawValue, flags: ack ? HTTP2Flags.ack : 0, stream: 0)
            appendUInt32(UInt32(truncatingIfNeeded: data >> 32))
            appendUInt32(UInt32(truncatingIfNeeded: data))
        case .goAway(let lastStream, let error, let debug):
            appendHeader(length: 8 + debug.count, type: HTTP2FrameType.goAway.rawValue, flags: 0, stream: 0)
            appendUInt32(lastStream & 0x7FFF_FFFF)
            appendUInt32(error.rawValue)
            bytes.append(contentsOf: debug)
        case .windowUpdate(let stream, let increment):
            appendHeader(length: 4, type: HTTP2FrameType.windowUpdate.rawValue, flags: 0, stream: stream)
            appendUInt32(increment & 0x7FFF_FFFF)
        case .continuation(let stream, let block, let endHeaders):
            appendHeader(length: block.count, type: HTTP2FrameType.continuation.rawValue,
                         flags: endHeaders ? HTTP2Flags.endHeaders : 0, stream: stream)
            bytes.append(contentsOf: block)
        case .unknown(let type, let stream):
            appendHeader(length: 0, type: type, flags: 0, stream: stream)
        }
    }

    /// Appends a header block as one HEADERS frame plus as many CONTINUATION frames as `maxFrameSize` needs.
    mutating func appendHeaderBlock(_ block: [UInt8], stream: UInt32, endStream: Bool, maxFrameSize: Int) {
        var start = 0
        repeat {
            let end = min(block.count, start + maxFrameSize)
            let last = end == block.count
            let flags = last ? HTTP2Flags.endHeaders : 0
            if start == 0 {
                appendHeader(length: end - start, type: HTTP2FrameType.headers.rawValue,
                             flags: flags | (endStream ? HTTP2Flags.endStream : 0), stream: stream)
            } else {
                appendHeader(length: end - start, type: HTTP2FrameType.continuation.rawValue, flags: flags,
                             stream: stream)
            }
            bytes.append(contentsOf: block[start..<end])
            start = end
        } while start < block.count
    }

    /// Appends DATA frames carrying `payload[range]`, none longer than `maxFrameSize`; END_STREAM on the last
    /// when `endStream`. An empty range still makes one (empty) frame, so END_STREAM can be sent.
    mutating func appendData(_ payload: [UInt8], _ range: Range<Int>, stream: UInt32, endStream: Bool,
                             maxFrameSize: Int) {
        var start = range.lowerBound
        repeat {
            let end = min(range.upperBound, start + maxFrameSize)
            let flags = end == range.upperBound && endStream ? HTTP2Flags.endStream : 0
            appendHeader(length: end - start, type: HTTP2FrameType.data.rawValue, flags: flags, stream: stream)
            bytes.append(contentsOf: payload[start..<end])
            start = end
        } while start < range.upperBound
    }

    private mutating func appendPadded(type: HTTP2FrameType, flags: UInt8, stream: UInt32, payload: [UInt8],
                                       padding: UInt8?) {
        guard let padding else {
            appendHeader(length: payload.count, type: type.rawValue, flags: flags, stream: stream)
            bytes.append(contentsOf: payload)
            return
        }
        appendHeader(length: 1 + payload.count + Int(padding), type: type.rawValue, flags: flags | HTTP2Flags.padded,
                     stream: stream)
        bytes.append(padding)
        bytes.append(contentsOf: payload)
        bytes.append(contentsOf: repeatElement(0, count: Int(padding)))
    }

    mutating func appendHeader(length: Int, type: UInt8, flags: UInt8, stream: UInt32) {
        bytes.append(UInt8(truncatingIfNeeded: length >> 16))
        bytes.append(UInt8(truncatingIfNeeded: length >> 8))
        bytes.append(UInt8(truncatingIfNeeded: length))
        bytes.append(type)
        bytes.append(flags)
        appendUInt32(stream & 0x7FFF_FFFF)
    }

    private mutating func appendUInt32(_ value: UInt32) {
        bytes.append(UInt8(truncatingIfNeeded: value >> 24))
        bytes.append(UInt8(truncatingIfNeeded: value >> 16))
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
        bytes.append(UInt8(truncatingIfNeeded: value))
    }
}
