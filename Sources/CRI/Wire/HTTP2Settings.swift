/// One SETTINGS parameter (RFC 9113 §6.5.1).
struct HTTP2Setting: Equatable, Sendable {
    /// The parameter identifier; see the static constants.
    var identifier: UInt16
    /// Its value.
    var value: UInt32

    static let headerTableSize: UInt16 = 0x1
    static let enablePush: UInt16 = 0x2
    static let maxConcurrentStreams: UInt16 = 0x3
    static let initialWindowSize: UInt16 = 0x4
    static let maxFrameSize: UInt16 = 0x5
    static let maxHeaderListSize: UInt16 = 0x6
}

/// The peer's settings that shape what this client may send (RFC 9113 §6.5.2 defaults until it says otherwise).
struct HTTP2PeerSettings: Equatable, Sendable {
    /// Largest frame payload we may send.
    var maxFrameSize = HTTP2Limits.defaultMaxFrameSize
    /// Send window each new stream starts with.
    var initialWindowSize = HTTP2Limits.defaultWindowSize
    /// Streams we may have open at once (unlimited until the peer says).
    var maxConcurrentStreams = Int.max

    /// Applies `parameters`; returns the change of the initial window (to adjust open streams' windows by).
    /// - Throws: a connection error for values the RFC forbids (§6.5.2).
    mutating func apply(_ parameters: [HTTP2Setting]) throws(HTTP2ConnectionError) -> Int {
        var windowDelta = 0
        for parameter in parameters {
            switch parameter.identifier {
            case HTTP2Setting.maxConcurrentStreams:
                maxConcurrentStreams = Int(parameter.value)
            case HTTP2Setting.initialWindowSize:
                guard parameter.value <= HTTP2Limits.maxWindowSize else {
                    throw HTTP2ConnectionError(
                        code: .flowControlError, reason: "SETTINGS_INITIAL_WINDOW_SIZE \(parameter.value) too large")
                }
                windowDelta += Int(parameter.value) - initialWindowSize
                initialWindowSize = Int(parameter.value)
            case HTTP2Setting.maxFrameSize:
                guard parameter.value >= HTTP2Limits.defaultMaxFrameSize, parameter.value <= 0xFF_FFFF else {
                    throw HTTP2ConnectionError(
                        code: .protocolError, reason: "SETTINGS_MAX_FRAME_SIZE \(parameter.value) out of range")
                }
                maxFrameSize = Int(parameter.value)
            case HTTP2Setting.enablePush:
                guard parameter.value <= 1 else {
                    throw HTTP2ConnectionError(code: .protocolError, reason: "SETTINGS_ENABLE_PUSH \(parameter.value)")
                }
            default:
                // HEADER_TABLE_SIZE sizes the peer's decoder; our encoder never indexes, so it does not matter.
                // Unknown identifiers must be ignored (§6.5.2).
                break
            }
        }
        return windowDelta
    }
}

/// Protocol constants and this client's own choices.
enum HTTP2Limits {
    /// RFC 9113 §6.5.2 default and minimum of SETTINGS_MAX_FRAME_SIZE; also the largest frame we accept,
    /// since we never advertise more.
    static let defaultMaxFrameSize = 16_384
    /// The default window of a stream and of the connection.
    static let defaultWindowSize = 65_535
    /// The largest legal window.
    static let maxWindowSize: UInt32 = 0x7FFF_FFFF
    /// The connection preface a client sends first (§3.4).
    static let clientPreface: [UInt8] = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)
}
