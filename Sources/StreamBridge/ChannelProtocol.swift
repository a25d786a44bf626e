import EventHTTP
import FoundationEssentials

/// How the user's client frames channel messages, from the subprotocol it negotiated.
///
/// The runtime side always speaks binary `v4.channel.k8s.io`; the relay translates: base64 text frames
/// (`"<channel digit><base64>"`) to and from binary, v5's close signal to what v4 can do, and for `channel.k8s.io`
/// (version 1) the status channel's JSON to the plain error text that version carries.
public enum ChannelProtocol: Sendable, Equatable {
    /// `v5.channel.k8s.io`: v4 plus the close signal `[255, channel]`.
    case v5
    /// `v4.channel.k8s.io`, or no subprotocol on port-forward.
    case v4
    /// `v4.base64.channel.k8s.io`: text frames, channel as an ASCII digit, payload in base64.
    case v4Base64
    /// `channel.k8s.io` (or none on exec/attach): binary frames; the status channel carries error text only.
    case v1

    /// Subprotocols exec and attach accept, in the server's order of preference.
    public static let remoteCommandSubprotocols = ["v5.channel.k8s.io", "v4.channel.k8s.io",
                                                   "v4.base64.channel.k8s.io", "channel.k8s.io"]
    /// Subprotocols port-forward accepts (`portforward.k8s.io` is kubelet's name for the binary form).
    public static let portForwardSubprotocols = ["v4.channel.k8s.io", "v4.base64.channel.k8s.io", "portforward.k8s.io"]
    /// What Swiftlet asks of the runtime's stream server (containerd 1.6 refuses v5).
    public static let upstreamSubprotocol = "v4.channel.k8s.io"

    /// The channel byte of the v5 close signal.
    public static let closeSignal: UInt8 = 255

    /// The protocol for a negotiated subprotocol; `portForward` maps "no subprotocol" to binary v4.
    public init(subprotocol: String?, portForward: Bool) {
        switch subprotocol {
        case "v5.channel.k8s.io": self = .v5
        case "v4.channel.k8s.io", "portforward.k8s.io": self = .v4
        case "v4.base64.channel.k8s.io": self = .v4Base64
        default: self = portForward ? .v4 : .v1
        }
    }

    /// A client message as channel and payload; nil for a frame that carries no channel (empty, or bad base64).
    func decode(_ message: WebSocketMessage) -> (channel: UInt8, payload: [UInt8])? {
        switch message {
        case .binary(let bytes):
            guard let channel = bytes.first else { return nil }
            return (channel, Array(bytes.dropFirst()))
        case .text(let text):
            guard self == .v4Base64, let first = text.utf8.first, first >= 0x30 else { return nil }
            let body = String(decoding: text.utf8.dropFirst(), as: UTF8.self)
            guard let data = Data(base64Encoded: body) else { return nil }
            return (first - 0x30, Array(data))
        }
    }

    /// A message to the client carrying `payload` on `channel`.
    func encode(channel: UInt8, payload: [UInt8]) -> WebSocketMessage {
        switch self {
        case .v4Base64:
            return .text(String(UnicodeScalar(channel &+ 0x30)) + Data(payload).base64EncodedString())
        case .v5, .v4, .v1:
            return .binary([channel] + payload)
        }
    }
}
