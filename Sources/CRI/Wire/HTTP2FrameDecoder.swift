/// Cuts HTTP/2 frames out of the bytes read from a socket.
///
/// Feed it whatever `read` returned with `append`, then take frames with `next()` until it returns nil (the rest
/// of the bytes are an incomplete frame, kept for the next read). It checks each frame's shape (lengths, stream
/// ids, padding) and throws a connection error for a malformed one; what a well-formed frame means is the
/// connection's business.
struct HTTP2FrameDecoder {
    /// The largest payload accepted: we never raise SETTINGS_MAX_FRAME_SIZE, so the peer may not exceed it.
    var maxFrameSize = HTTP2Limits.defaultMaxFrameSize
    private var buffer: [UInt8] = []
    private var start = 0

    /// Adds bytes read from the peer.
    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        // Compact lazily: moving the unread tail only once it is at least half the buffer keeps appends cheap.
        if start > 0, start >= buffer.count / 2 {
            buffer.removeSubrange(0..<start)
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// Adds bytes (tests and the scripted peer).
    mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    /// The next complete frame, or nil when more bytes are needed.
    mutating func next() throws(HTTP2ConnectionError) -> HTTP2Frame? {
        guard buffer.count - start >= 9 else { return nil }
        let length = Int(buffer[start]) << 16 | Int(buffer[start + 1]) << 8 | Int(buffer[start + 2])
        guard length <= maxFrameSize else {
            throw HTTP2ConnectionError(code: .frameSizeError, reason: "frame of \(length) bytes exceeds \(maxFrameSize)")
        }
        guard buffer.count - start >= 9 + length else { return nil }
        let type = buffer[start + 3]
        let flags = buffer[start + 4]
        let stream = readUInt32(at: start + 5) & 0x7FFF_FFFF
        let frame = try decode(type: type, flags: flags, stream: stream, payload: start + 9..<start + 9 + length)
        start += 9 + length
        if start == buffer.count {
            // Everything consumed: reuse the storage from the start instead of compacting later.
            buffer.removeAll(keepingCapacity: true)
            start = 0
        }
        return frame
    }

    private func decode(type: UInt8, flags: UInt8, stream: UInt32, payload: Range<Int>)
        throws(HTTP2ConnectionError) -> HTTP2Frame
    {
        guard let known = HTTP2FrameType(rawValue: type) else { return .unknown(type: type, stream: stream) }
        switch known {
        case .data:
            try requireStream(stream, "DATA")
            let body = try unpadded(payload, flags: flags, what: "DATA")
            return .data(stream: stream, payload: Array(buffer[body]), endStream: flags & HTTP2Flags.endStream != 0,
                         paddedLength: payload.count)
        case .headers:
            try requireStream(stream, "HEADERS")
            var body = try unpadded(payload, flags: flags, what: "HEADERS")
            if flags & HTTP2Flags.priority != 0 {
                guard body.count >= 5 else {
                    throw HTTP2ConnectionError(code: .frameSizeError, reason: "HEADERS too short for its priority")
                }
                body = body.lowerBound + 5..<body.upperBound
            }
            return .headers(stream: stream, block: Array(buffer[body]), endStream: flags & HTTP2Flags.endStream != 0,
                            endHeaders: flags & HTTP2Flags.endHeaders != 0)
        case .priority:
            try requireStream(stream, "PRIORITY")
            try requireLength(payload, 5, "PRIORITY")
            return .priority(stream: stream)
        case .rstStream:
            try requireStream(stream, "RST_STREAM")
            try requireLength(payload, 4, "RST_STREAM")
            return .rstStream(stream: stream, error: HTTP2ErrorCode(rawValue: readUInt32(at: payload.lowerBound)))
        case .settings:
            try requireConnection(stream, "SETTINGS")
            let ack = flags & HTTP2Flags.ack != 0
            guard payload.count % 6 == 0, !ack || payload.isEmpty else {
                throw HTTP2ConnectionError(code: .frameSizeError, reason: "SETTINGS of \(payload.count) bytes")
            }
            var parameters: [HTTP2Setting] = []
            var index = payload.lowerBound
            while index < payload.upperBound {
                let identifier = UInt16(buffer[index]) << 8 | UInt16(buffer[index + 1])
                parameters.append(HTTP2Setting(identifier: identifier, value: readUInt32(at: index + 2)))
                index += 6
            }
            return .settings(ack: ack, parameters: parameters)
        case .pushPromise:
            try requireStream(stream, "PUSH_PROMISE")
            let body = try unpadded(payload, flags: flags, what: "PUSH_PROMISE")
            guard body.count >= 4 else {
                throw HTTP2ConnectionError(code: .frameSizeError, reason: "PUSH_PROMISE too short")
            }
            return .pushPromise(stream: stream, promised: readUInt32(at: body.lowerBound) & 0x7FFF_FFFF,
                                block: Array(buffer[body.lowerBound + 4..<body.upperBound]),
                                endHeaders: flags & HTTP2Flags.endHeaders != 0)
        case .ping:
            try requireConnection(stream, "PING")
            try requireLength(payload, 8, "PING")
            let data = UInt64(readUInt32(at: payload.lowerBound)) << 32 | UInt64(readUInt32(at: payload.lowerBound + 4))
            return .ping(ack: flags & HTTP2Flags.ack != 0, data: data)
        case .goAway:
            try requireConnection(stream, "GOAWAY")
            guard payload.count >= 8 else {
                throw HTTP2ConnectionError(code: .frameSizeError, reason: "GOAWAY too short")
            }
            return .goAway(lastStream: readUInt32(at: payload.lowerBound) & 0x7FFF_FFFF,
                           error: HTTP2ErrorCode(rawValue: readUInt32(at: payload.lowerBound + 4)),
                           debug: Array(buffer[payload.lowerBound + 8..<payload.upperBound]))
        case .windowUpdate:
            try requireLength(payload, 4, "WINDOW_UPDATE")
            return .windowUpdate(stream: stream, increment: readUInt32(at: payload.lowerBound) & 0x7FFF_FFFF)
        case .continuation:
            try requireStream(stream, "CONTINUATION")
            return .continuation(stream: stream, block: Array(buffer[payload]),
                                 endHeaders: flags & HTTP2Flags.endHeaders != 0)
        }
    }

    /// The payload without its pad length byte and padding (§6.1).
    private func unpadded(_ payload: Range<Int>, flags: UInt8, what: String) throws(HTTP2ConnectionError) -> Range<Int> {
        guard flags & HTTP2Flags.padded != 0 else { return payload }
        guard let padLength = payload.isEmpty ? nil : Int(buffer[payload.lowerBound]),
              padLength < payload.count
        else {
            throw HTTP2ConnectionError(code: .protocolError, reason: "\(what) padding exceeds the frame")
        }
        return payload.lowerBound + 1..<payload.upperBound - padLength
    }

    private func requireStream(_ stream: UInt32, _ what: String) throws(HTTP2ConnectionError) {
        if stream == 0 { throw HTTP2ConnectionError(code: .protocolError, reason: "\(what) on stream 0") }
    }

    private func requireConnection(_ stream: UInt32, _ what: String) throws(HTTP2ConnectionError) {
        if stream != 0 { throw HTTP2ConnectionError(code: .protocolError, reason: "\(what) on stream \(stream)") }
    }

    private func requireLength(_ payload: Range<Int>, _ length: Int, _ what: String) throws(HTTP2ConnectionError) {
        if payload.count != length {
            throw HTTP2ConnectionError(code: .frameSizeError, reason: "\(what) of \(payload.count) bytes")
        }
    }

    private func readUInt32(at index: Int) -> UInt32 {
        UInt32(buffer[index]) << 24 | UInt32(buffer[index + 1]) << 16 | UInt32(buffer[index + 2]) << 8
            | UInt32(buffer[index + 3])
    }
}
