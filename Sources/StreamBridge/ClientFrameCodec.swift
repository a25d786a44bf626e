import EventHTTP

/// RFC 6455 framing from the client's side: frames we send are masked (§5.3); frames from the server must not be.
struct ClientFrameCodec {
    static let continuation: UInt8 = 0x0, text: UInt8 = 0x1, binary: UInt8 = 0x2
    static let close: UInt8 = 0x8, ping: UInt8 = 0x9, pong: UInt8 = 0xA

    /// What a complete server frame (or reassembled message) amounts to.
    enum Event: Equatable {
        case message(WebSocketMessage)
        case ping([UInt8])
        case pong
        case close(code: UInt16?, reason: String)
    }

    /// Largest reassembled message accepted from the server.
    let maxMessageBytes: Int
    private var buffer: [UInt8] = []
    private var head = 0
    private var fragments: [UInt8] = []
    private var fragmentOpcode: UInt8?

    init(maxMessageBytes: Int) {
        self.maxMessageBytes = maxMessageBytes
    }

    /// A masked frame with a fresh random key.
    static func encode(opcode: UInt8, payload: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x80 | opcode]
        out.reserveCapacity(payload.count + 14)
        if payload.count < 126 {
            out.append(0x80 | UInt8(payload.count))
        } else if payload.count <= 0xFFFF {
            out.append(0x80 | 126)
            out.append(UInt8(payload.count >> 8))
            out.append(UInt8(payload.count & 0xFF))
        } else {
            out.append(0x80 | 127)
            for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8((UInt64(payload.count) >> UInt64(shift)) & 0xFF)) }
        }
        var generator = SystemRandomNumberGenerator()
        let key = generator.next() as UInt32
        let mask: [UInt8] = [UInt8(key >> 24), UInt8((key >> 16) & 0xFF), UInt8((key >> 8) & 0xFF), UInt8(key & 0xFF)]
        out.append(contentsOf: mask)
        let start = out.count
        out.append(contentsOf: payload)
        for i in 0..<payload.count { out[start + i] ^= mask[i & 3] }
        return out
    }

    /// A Close frame payload: the code (big-endian) and a reason cut to fit a control frame.
    static func closePayload(code: UInt16, reason: String) -> [UInt8] {
        [UInt8(code >> 8), UInt8(code & 0xFF)] + Array(reason.utf8.prefix(123))
    }

    /// Adds received bytes.
    mutating func append(_ bytes: ArraySlice<UInt8>) {
        if head > 65536 && head * 2 > buffer.count {
            buffer.removeFirst(head)
            head = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next complete event, nil when more bytes are needed. Throws on a protocol violation.
    mutating func next() throws -> Event? {
        while true {
            let available = buffer.count - head
            guard available >= 2 else { return nil }
            let b0 = buffer[head], b1 = buffer[head + 1]
            let fin = b0 & 0x80 != 0
            let opcode = b0 & 0x0F
            guard b0 & 0x70 == 0 else { throw WebSocketClientError.protocolViolation("reserved bits set") }
            guard b1 & 0x80 == 0 else { throw WebSocketClientError.protocolViolation("server frames must not be masked") }
            let len7 = Int(b1 & 0x7F)
            let extra = len7 == 126 ? 2 : (len7 == 127 ? 8 : 0)
            guard available >= 2 + extra else { return nil }
            var length = UInt64(len7)
            if extra > 0 {
                length = 0
                for i in 0..<extra { length = length << 8 | UInt64(buffer[head + 2 + i]) }
            }
            let isControl = opcode & 0x8 != 0
            if isControl {
                guard fin, length <= 125 else { throw WebSocketClientError.protocolViolation("invalid control frame") }
            } else {
                guard opcode <= 2 else { throw WebSocketClientError.protocolViolation("unknown opcode \(opcode)") }
                if opcode == Self.continuation && fragmentOpcode == nil {
                    throw WebSocketClientError.protocolViolation("unexpected continuation frame")
                }
                if opcode != Self.continuation && fragmentOpcode != nil {
                    throw WebSocketClientError.protocolViolation("expected a continuation frame")
                }
                guard length <= UInt64(maxMessageBytes), fragments.count + Int(length) <= maxMessageBytes else {
                    throw WebSocketClientError.protocolViolation("message exceeds \(maxMessageBytes) bytes")
                }
            }
            let total = 2 + extra + Int(length)
            guard available >= total else { return nil }
            let payload = Array(buffer[(head + 2 + extra)..<(head + total)])
            head += total
            if head == buffer.count {
                buffer.removeAll(keepingCapacity: true)
                head = 0
            }
            switch opcode {
            case Self.ping: return .ping(payload)
            case Self.pong: return .pong
            case Self.close:
                guard payload.count != 1 else { throw WebSocketClientError.protocolViolation("invalid close payload") }
                if payload.count < 2 { return .close(code: nil, reason: "") }
                let code = UInt16(payload[0]) << 8 | UInt16(payload[1])
                return .close(code: code, reason: String(decoding: payload[2...], as: UTF8.self))
            default:
                if opcode != Self.continuation { fragmentOpcode = opcode }
                fragments.append(contentsOf: payload)
                guard fin, let kind = fragmentOpcode else { continue }
                let message = fragments
                fragments = []
                fragmentOpcode = nil
                if kind == Self.text {
                    guard let text = String(validating: message, as: UTF8.self) else {
                        throw WebSocketClientError.protocolViolation("text message is not valid UTF-8")
                    }
                    return .message(.text(text))
                }
                return .message(.binary(message))
            }
        }
    }
}
