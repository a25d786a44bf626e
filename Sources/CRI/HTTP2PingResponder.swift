import NIOCore

/// Answers the peer's HTTP/2 PING frames itself, before swift-nio-http2 sees them.
///
/// Why: containerd (grpc-go) sends a BDP-estimation PING along with the response to almost every request.
/// swift-nio-http2 1.46 counts inbound PING/SETTINGS frames as control frames and closes the connection after
/// 200 of them in 30 s (its DoS heuristic), which failed about every 200th call with `unavailable: Stream
/// unexpectedly closed` — often after the request had already reached containerd. The gRPC transport does not
/// let us tune that limit, so this handler sits first in the connection pipeline (installed through the
/// transport's `onCreateTCPConnection` hook), answers each PING with a PING ACK carrying the same 8 bytes,
/// as RFC 9113 §6.7 requires, and forwards every other byte untouched.
///
/// It works on the raw byte stream: it tracks HTTP/2 frame boundaries (9-byte header, 24-bit length) and only
/// removes frames of type PING without the ACK flag. PING ACKs (answers to pings the client itself sends)
/// pass through so keepalive logic still sees them. It is only valid on a cleartext connection, which is what
/// a unix socket to containerd is.
final class HTTP2PingResponder: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private static let frameHeaderLength = 9
    private static let pingFrameType: UInt8 = 0x6
    private static let ackFlag: UInt8 = 0x1
    private static let pingPayloadLength = 8

    /// Where we are in the inbound frame stream.
    private enum State {
        /// Collecting the 9 header bytes of the next frame.
        case header
        /// Forwarding this many more payload bytes of a frame the HTTP/2 handler must see.
        case forwarding(remaining: Int)
        /// Collecting the 8 payload bytes of a PING we answer ourselves.
        case ping
    }

    private var state: State = .header
    /// Bytes of a frame header or PING payload split across reads.
    private var partial: ByteBuffer?
    private let tracker: ConnectionTracker

    init(tracker: ConnectionTracker) {
        self.tracker = tracker
    }

    /// Whether this connection is counted as open in `tracker`, so it is counted and uncounted exactly once.
    private var counted = false

    func channelActive(context: ChannelHandlerContext) {
        markOpen()
        context.fireChannelActive()
    }

    func handlerAdded(context: ChannelHandlerContext) {
        // The hook may run before or after the channel becomes active; count it once either way.
        if context.channel.isActive { markOpen() }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if counted {
            counted = false
            tracker.connectionClosed()
        }
        context.fireChannelInactive()
    }

    private func markOpen() {
        if !counted {
            counted = true
            tracker.connectionOpened()
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        while buffer.readableBytes > 0 {
            switch state {
            case .forwarding(let remaining):
                let count = min(remaining, buffer.readableBytes)
                if let slice = buffer.readSlice(length: count) {
                    context.fireChannelRead(wrapInboundOut(slice))
                }
                state = remaining == count ? .header : .forwarding(remaining: remaining - count)

            case .header:
                guard var header = collect(Self.frameHeaderLength, from: &buffer, allocator: context.channel.allocator)
                else { break }
                let length = Int(header.getInteger(at: header.readerIndex, as: UInt8.self) ?? 0) << 16
                    | Int(header.getInteger(at: header.readerIndex + 1, as: UInt16.self) ?? 0)
                let type = header.getInteger(at: header.readerIndex + 3, as: UInt8.self) ?? 0
                let flags = header.getInteger(at: header.readerIndex + 4, as: UInt8.self) ?? 0
                if type == Self.pingFrameType, flags & Self.ackFlag == 0, length == Self.pingPayloadLength {
                    state = .ping
                } else {
                    // Anything else, including malformed PINGs, is the HTTP/2 handler's business.
                    if let slice = header.readSlice(length: Self.frameHeaderLength) {
                        context.fireChannelRead(wrapInboundOut(slice))
                    }
                    state = length > 0 ? .forwarding(remaining: length) : .header
                }

            case .ping:
                guard let payload = collect(Self.pingPayloadLength, from: &buffer, allocator: context.channel.allocator)
                else { break }
                var ack = context.channel.allocator.buffer(capacity: Self.frameHeaderLength + Self.pingPayloadLength)
                ack.writeInteger(UInt8(0))
                ack.writeInteger(UInt16(Self.pingPayloadLength))
                ack.writeInteger(Self.pingFrameType)
                ack.writeInteger(Self.ackFlag)
                ack.writeInteger(UInt32(0))  // stream 0: PING is connection-level
                ack.writeImmutableBuffer(payload)
                // Written from the first handler, the ACK goes straight to the socket. Safe to interleave:
                // swift-nio-http2 writes each frame completely within one event-loop turn.
                context.writeAndFlush(wrapOutboundOut(ack), promise: nil)
                tracker.pingAnswered()
                state = .header
            }
        }
    }

    /// Returns exactly `count` bytes once they are available, buffering a split prefix across reads.
    private func collect(_ count: Int, from buffer: inout ByteBuffer, allocator: ByteBufferAllocator) -> ByteBuffer? {
        if partial == nil, buffer.readableBytes >= count {
            return buffer.readSlice(length: count)
        }
        var pending = partial ?? allocator.buffer(capacity: count)
        let take = min(count - pending.readableBytes, buffer.readableBytes)
        if let bytes = buffer.readSlice(length: take) {
            pending.writeImmutableBuffer(bytes)
        }
        if pending.readableBytes == count {
            partial = nil
            return pending
        }
        partial = pending
        return nil
    }
}
