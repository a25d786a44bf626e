import CLibevent

/// Loop-thread side of a WebSocket connection: frame parsing, masking rule, control frames, fragmentation
/// reassembly, size limit and the close handshake. Confined to the loop thread like its `Connection`.
final class WebSocketSession {
    unowned let connection: Connection
    let inbox: WebSocketConnection
    let maxMessageBytes: Int
    private var fragments: [UInt8] = []
    private var fragmentOpcode: UInt8?
    private(set) var closeSent = false
    private var finished = false

    init(connection: Connection, inbox: WebSocketConnection, maxMessageBytes: Int) {
        self.connection = connection
        self.inbox = inbox
        self.maxMessageBytes = maxMessageBytes
    }

    func onReadable(_ input: OpaquePointer) {
        while !finished {
            let available = evbuffer_get_length(input)
            guard available >= 2 else { return }
            var header = [UInt8](repeating: 0, count: 14)
            let peeked = header.withUnsafeMutableBytes { evbuffer_copyout(input, $0.baseAddress, min(14, available)) }
            let b0 = header[0], b1 = header[1]
            let fin = b0 & 0x80 != 0
            let opcode = b0 & 0x0F
            guard b0 & 0x70 == 0 else { return fail(1002, "reserved bits set") }
            guard b1 & 0x80 != 0 else { return fail(1002, "client frames must be masked") }
            let len7 = Int(b1 & 0x7F)
            let extra = len7 == 126 ? 2 : (len7 == 127 ? 8 : 0)
            let headerLength = 2 + extra + 4
            guard peeked >= headerLength else { return }
            var payloadLength: UInt64 = UInt64(len7)
            if extra > 0 {
                payloadLength = 0
                for i in 0..<extra { payloadLength = payloadLength << 8 | UInt64(header[2 + i]) }
                if payloadLength >> 63 != 0 { return fail(1002, "invalid payload length") }
            }
            let isControl = opcode & 0x8 != 0
            if isControl {
                guard fin, payloadLength <= 125 else { return fail(1002, "invalid control frame") }
                guard opcode == WebSocketFrame.close || opcode == WebSocketFrame.ping || opcode == WebSocketFrame.pong else {
                    return fail(1002, "unknown control opcode")
                }
            } else {
                guard opcode <= 2 else { return fail(1002, "unknown data opcode") }
                if opcode == 0 && fragmentOpcode == nil { return fail(1002, "unexpected continuation frame") }
                if opcode != 0 && fragmentOpcode != nil { return fail(1002, "expected continuation frame") }
                if payloadLength > UInt64(maxMessageBytes) || fragments.count + Int(payloadLength) > maxMessageBytes {
                    return fail(1009, "message exceeds \(maxMessageBytes) bytes")
                }
            }
            let length = Int(payloadLength)
            guard available >= headerLength + length else { return }
            let mask = Array(header[(2 + extra)..<(2 + extra + 4)])
            evbuffer_drain(input, headerLength)
            var payload = [UInt8](repeating: 0, count: length)
            if length > 0 { _ = payload.withUnsafeMutableBytes { evbuffer_remove(input, $0.baseAddress, length) } }
            for i in 0..<length { payload[i] ^= mask[i & 3] }
            handle(opcode: opcode, fin: fin, payload: payload)
        }
    }

    private func handle(opcode: UInt8, fin: Bool, payload: [UInt8]) {
        switch opcode {
        case WebSocketFrame.ping:
            if !closeSent { connection.sendFrame(WebSocketFrame.encode(opcode: WebSocketFrame.pong, payload: payload)) }
        case WebSocketFrame.pong:
            break
        case WebSocketFrame.close:
            if payload.count == 1 { return fail(1002, "invalid close payload") }
            if payload.count >= 2, String(validating: payload[2...], as: UTF8.self) == nil {
                return fail(1007, "close reason is not UTF-8")
            }
            let code: UInt16 = payload.count >= 2 ? UInt16(payload[0]) << 8 | UInt16(payload[1]) : 1000
            if !closeSent {
                closeSent = true
                let echo: [UInt8] = payload.count >= 2 ? WebSocketFrame.closePayload(code: code, reason: "") : []
                connection.sendFrame(WebSocketFrame.encode(opcode: WebSocketFrame.close, payload: echo))
            }
            end()
        default:
            if opcode != 0 { fragmentOpcode = opcode }
            fragments.append(contentsOf: payload)
            guard fin, let kind = fragmentOpcode else { return }
            let message = fragments
            fragments = []
            fragmentOpcode = nil
            if kind == WebSocketFrame.text {
                guard let text = String(validating: message, as: UTF8.self) else {
                    return fail(1007, "text message is not valid UTF-8")
                }
                inbox.deliver(.text(text))
            } else {
                inbox.deliver(.binary(message))
            }
        }
    }

    /// Protocol violation: send Close with the code and drop the connection once it is flushed.
    private func fail(_ code: UInt16, _ reason: String) {
        if !closeSent {
            closeSent = true
            connection.sendFrame(WebSocketFrame.encode(opcode: WebSocketFrame.close,
                                                       payload: WebSocketFrame.closePayload(code: code, reason: reason)))
        }
        end()
    }

    private func end() {
        finished = true
        inbox.finish()
        connection.closeAfterWebSocket()
    }

    /// Server-initiated close: send Close, wait (bounded) for the peer's Close.
    func initiateClose(code: UInt16, reason: String) {
        guard !closeSent, !finished else { return }
        closeSent = true
        connection.sendFrame(WebSocketFrame.encode(opcode: WebSocketFrame.close,
                                                   payload: WebSocketFrame.closePayload(code: code, reason: reason)))
        connection.armCloseTimeout()
    }

    /// Send a data message unless the close handshake has started.
    func send(_ message: WebSocketMessage) -> Bool {
        guard !closeSent, !finished else { return false }
        switch message {
        case .text(let s): connection.sendFrame(WebSocketFrame.encode(opcode: WebSocketFrame.text, payload: Array(s.utf8)))
        case .binary(let b): connection.sendFrame(WebSocketFrame.encode(opcode: WebSocketFrame.binary, payload: b))
        }
        return true
    }

    func connectionClosed() {
        finished = true
        inbox.finish()
    }
}
