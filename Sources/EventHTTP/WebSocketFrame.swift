/// RFC 6455 frame encoding (server → client frames are never masked).
enum WebSocketFrame {
    static let continuation: UInt8 = 0x0, text: UInt8 = 0x1, binary: UInt8 = 0x2
    static let close: UInt8 = 0x8, ping: UInt8 = 0x9, pong: UInt8 = 0xA

    static func encode(opcode: UInt8, payload: [UInt8], fin: Bool = true) -> [UInt8] {
        var out: [UInt8] = [(fin ? 0x80 : 0) | opcode]
        out.reserveCapacity(payload.count + 10)
        if payload.count < 126 {
            out.append(UInt8(payload.count))
        } else if payload.count <= 0xFFFF {
            out.append(126)
            out.append(UInt8(payload.count >> 8))
            out.append(UInt8(payload.count & 0xFF))
        } else {
            out.append(127)
            for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8((UInt64(payload.count) >> UInt64(shift)) & 0xFF)) }
        }
        out.append(contentsOf: payload)
        return out
    }

    static func closePayload(code: UInt16, reason: String) -> [UInt8] {
        var p: [UInt8] = [UInt8(code >> 8), UInt8(code & 0xFF)]
        p.append(contentsOf: reason.utf8.prefix(123))
        return p
    }
}
