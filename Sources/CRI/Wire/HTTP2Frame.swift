/// One HTTP/2 frame (RFC 9113 §6), as the wire client sends and receives it.
///
/// Only what a unary gRPC client needs is modelled; PRIORITY and unknown types are kept opaque so the reader can
/// skip them, as §4.1 and §5.5 require. Payloads are plain byte arrays: frames to and from a local runtime are
/// small, and one copy per frame is cheaper than the bookkeeping of shared buffers.
enum HTTP2Frame: Equatable, Sendable {
    /// DATA (§6.1). Padding is stripped on decode; `paddedLength` counts it, because flow control does.
    case data(stream: UInt32, payload: [UInt8], endStream: Bool, paddedLength: Int)
    /// HEADERS (§6.2): a header block fragment. Priority fields are dropped on decode.
    case headers(stream: UInt32, block: [UInt8], endStream: Bool, endHeaders: Bool)
    /// PRIORITY (§6.3): deprecated and ignored.
    case priority(stream: UInt32)
    /// RST_STREAM (§6.4).
    case rstStream(stream: UInt32, error: HTTP2ErrorCode)
    /// SETTINGS (§6.5); an ACK has no parameters.
    case settings(ack: Bool, parameters: [HTTP2Setting])
    /// PUSH_PROMISE (§6.6): refused by this client (ENABLE_PUSH 0), so receiving one is a connection error.
    case pushPromise(stream: UInt32, promised: UInt32, block: [UInt8], endHeaders: Bool)
    /// PING (§6.7) with its 8 opaque bytes.
    case ping(ack: Bool, data: UInt64)
    /// GOAWAY (§6.8).
    case goAway(lastStream: UInt32, error: HTTP2ErrorCode, debug: [UInt8])
    /// WINDOW_UPDATE (§6.9); stream 0 is the connection window.
    case windowUpdate(stream: UInt32, increment: UInt32)
    /// CONTINUATION (§6.10): more of a header block.
    case continuation(stream: UInt32, block: [UInt8], endHeaders: Bool)
    /// A frame of a type this client does not know; ignored.
    case unknown(type: UInt8, stream: UInt32)
}

/// Frame type numbers (RFC 9113 §6).
enum HTTP2FrameType: UInt8 {
    case data = 0x0, headers = 0x1, priority = 0x2, rstStream = 0x3, settings = 0x4
    case pushPromise = 0x5, ping = 0x6, goAway = 0x7, windowUpdate = 0x8, continuation = 0x9
}

/// Frame flag bits; their meaning depends on the frame type.
enum HTTP2Flags {
    static let endStream: UInt8 = 0x1
    static let ack: UInt8 = 0x1
    static let endHeaders: UInt8 = 0x4
    static let padded: UInt8 = 0x8
    static let priority: UInt8 = 0x20
}

/// An HTTP/2 error code (RFC 9113 §7), as carried by RST_STREAM and GOAWAY. Unknown codes are kept.
struct HTTP2ErrorCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    var rawValue: UInt32

    static let noError = HTTP2ErrorCode(rawValue: 0x0)
    static let protocolError = HTTP2ErrorCode(rawValue: 0x1)
    static let internalError = HTTP2ErrorCode(rawValue: 0x2)
    static let flowControlError = HTTP2ErrorCode(rawValue: 0x3)
    static let settingsTimeout = HTTP2ErrorCode(rawValue: 0x4)
    static let streamClosed = HTTP2ErrorCode(rawValue: 0x5)
    static let frameSizeError = HTTP2ErrorCode(rawValue: 0x6)
    static let refusedStream = HTTP2ErrorCode(rawValue: 0x7)
    static let cancel = HTTP2ErrorCode(rawValue: 0x8)
    static let compressionError = HTTP2ErrorCode(rawValue: 0x9)
    static let connectError = HTTP2ErrorCode(rawValue: 0xA)
    static let enhanceYourCalm = HTTP2ErrorCode(rawValue: 0xB)
    static let inadequateSecurity = HTTP2ErrorCode(rawValue: 0xC)
    static let http11Required = HTTP2ErrorCode(rawValue: 0xD)

    private static let names: [UInt32: String] = [
        0x0: "NO_ERROR", 0x1: "PROTOCOL_ERROR", 0x2: "INTERNAL_ERROR", 0x3: "FLOW_CONTROL_ERROR",
        0x4: "SETTINGS_TIMEOUT", 0x5: "STREAM_CLOSED", 0x6: "FRAME_SIZE_ERROR", 0x7: "REFUSED_STREAM",
        0x8: "CANCEL", 0x9: "COMPRESSION_ERROR", 0xA: "CONNECT_ERROR", 0xB: "ENHANCE_YOUR_CALM",
        0xC: "INADEQUATE_SECURITY", 0xD: "HTTP_1_1_REQUIRED",
    ]

    /// The RFC's name, e.g. `CANCEL`, or `0x2a` for a code it does not define.
    var description: String { Self.names[rawValue] ?? "0x\(String(rawValue, radix: 16))" }
}

/// A violation of the HTTP/2 framing rules by the peer: the connection cannot continue (RFC 9113 §5.4.1).
struct HTTP2ConnectionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The code sent in our GOAWAY.
    var code: HTTP2ErrorCode
    /// What was wrong, for the error the failed calls carry.
    var reason: String

    var description: String { "HTTP/2 \(code): \(reason)" }
}
