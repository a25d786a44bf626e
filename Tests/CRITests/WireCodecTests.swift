import NIOCore
import Testing

@testable import CRI

/// The frame codec, header encoding and gRPC value encodings, without a peer.
@Suite("gRPC wire codec")
struct WireCodecTests {
    static let frames: [HTTP2Frame] = [
        .data(stream: 1, payload: [1, 2, 3], endStream: true, paddedLength: 3),
        .data(stream: 3, payload: [], endStream: false, paddedLength: 0),
        .headers(stream: 5, block: [0x82, 0x86], endStream: false, endHeaders: false),
        .priority(stream: 7),
        .rstStream(stream: 9, error: .cancel),
        .settings(ack: false, parameters: [HTTP2Setting(identifier: HTTP2Setting.initialWindowSize, value: 1 << 24),
                                           HTTP2Setting(identifier: 0x99, value: 7)]),
        .settings(ack: true, parameters: []),
        .pushPromise(stream: 1, promised: 2, block: [0x88], endHeaders: true),
        .ping(ack: true, data: 0xDEAD_BEEF_0102_0304),
        .goAway(lastStream: 11, error: .enhanceYourCalm, debug: Array("calm".utf8)),
        .windowUpdate(stream: 0, increment: 0x7FFF_FFFF),
        .continuation(stream: 5, block: [0x84], endHeaders: true),
        .unknown(type: 0xEE, stream: 3),
    ]

    @Test("every frame type survives encode and decode, also fed one byte at a time")
    func roundTrip() throws {
        var encoder = HTTP2FrameEncoder()
        for frame in Self.frames { encoder.append(frame) }
        var whole = HTTP2FrameDecoder()
        whole.append(encoder.bytes)
        var decoded: [HTTP2Frame] = []
        while let frame = try whole.next() { decoded.append(frame) }
        #expect(decoded == Self.frames)

        var bytewise = HTTP2FrameDecoder()
        var trickled: [HTTP2Frame] = []
        for byte in encoder.bytes {
            bytewise.append([byte])
            while let frame = try bytewise.next() { trickled.append(frame) }
        }
        #expect(trickled == Self.frames)
    }

    @Test("padding is stripped from DATA and HEADERS, and DATA counts it for flow control")
    func padding() throws {
        var encoder = HTTP2FrameEncoder()
        encoder.append(.data(stream: 1, payload: [9, 9], endStream: false, paddedLength: 0), padding: 4)
        encoder.append(.headers(stream: 1, block: [0x88], endStream: true, endHeaders: true), padding: 200)
        var decoder = HTTP2FrameDecoder()
        decoder.append(encoder.bytes)
        #expect(try decoder.next() == .data(stream: 1, payload: [9, 9], endStream: false, paddedLength: 7))
        #expect(try decoder.next() == .headers(stream: 1, block: [0x88], endStream: true, endHeaders: true))
        #expect(try decoder.next() == nil)
    }

    @Test("a header block larger than the frame size goes out as HEADERS plus CONTINUATION frames")
    func continuation() throws {
        let block = (0..<40_000).map { UInt8(truncatingIfNeeded: $0) }
        var encoder = HTTP2FrameEncoder()
        encoder.appendHeaderBlock(block, stream: 3, endStream: true, maxFrameSize: 16_384)
        var decoder = HTTP2FrameDecoder()
        decoder.append(encoder.bytes)
        #expect(try decoder.next() == .headers(stream: 3, block: Array(block[0..<16_384]), endStream: true, endHeaders: false))
        #expect(try decoder.next() == .continuation(stream: 3, block: Array(block[16_384..<32_768]), endHeaders: false))
        #expect(try decoder.next() == .continuation(stream: 3, block: Array(block[32_768...]), endHeaders: true))
    }

    @Test("malformed frames are connection errors with the RFC's codes",
          arguments: [
              ([0, 0, 1, 0, 0, 0, 0, 0, 0, 0xFF], HTTP2ErrorCode.protocolError),  // DATA on stream 0
              ([0, 0, 7, 6, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7], .frameSizeError),  // PING of 7 bytes
              ([0, 0, 6, 4, 0, 0, 0, 0, 1, 0, 4, 0, 0, 0, 1], .protocolError),  // SETTINGS on stream 1
              ([0, 0, 2, 0, 8, 0, 0, 0, 1, 5, 0], .protocolError),  // padding longer than the frame
              ([0, 0x40, 1, 0, 0, 0, 0, 0, 1], .frameSizeError),  // 16,385 bytes, above the maximum
          ] as [([UInt8], HTTP2ErrorCode)])
    func malformed(bytes: [UInt8], code: HTTP2ErrorCode) {
        var decoder = HTTP2FrameDecoder()
        decoder.append(bytes + [UInt8](repeating: 0, count: 16_385))
        #expect(throws: HTTP2ConnectionError.self) { _ = try decoder.next() }
        do {
            _ = try decoder.next()
        } catch {
            #expect(error.code == code)
        }
    }

    @Test("request header blocks decode with NIOHPACK to gRPC's request headers, with long values")
    func requestHeaders() throws {
        let head = GRPCRequestHead(authority: "[::1]:9090", userAgent: "ua/" + String(repeating: "x", count: 200))
        var decoder = HeaderBlockDecoder()
        let fields = try decoder.decode(head.block(path: "/runtime.v1.RuntimeService/Version", timeout: 1_500_000_000))
        #expect(fields.map(\.name) == [":method", ":scheme", ":authority", ":path", "content-type", "te", "user-agent", "grpc-timeout"])
        #expect(fields.map(\.value) == ["POST", "http", "[::1]:9090", "/runtime.v1.RuntimeService/Version", "application/grpc",
                                        "trailers", "ua/" + String(repeating: "x", count: 200), "1500000u"])
        #expect(try decoder.decode(head.block(path: "/a", timeout: nil)).count == 7)
    }

    @Test("grpc-timeout uses at most 8 digits and rounds up; grpc-message is percent-decoded")
    func headerValues() {
        #expect(GRPCHeaderValues.timeout(nanoseconds: 999) == "999n")
        #expect(GRPCHeaderValues.timeout(nanoseconds: 100_000_000) == "100000u")
        #expect(GRPCHeaderValues.timeout(nanoseconds: 100_000_001) == "100001u")
        #expect(GRPCHeaderValues.timeout(nanoseconds: 300_000_000_000) == "300000m")
        #expect(GRPCHeaderValues.timeout(nanoseconds: 600_000_000_000_000) == "600000S")
        #expect(GRPCHeaderValues.percentDecoded("a%20b%25%E2%9C%93%zz%2") == "a b%✓%zz%2")
    }

    @Test("HTTP statuses and RST_STREAM codes map to gRPC codes as the gRPC spec's tables say")
    func statusMaps() {
        #expect(GRPCStatusCode(httpStatus: 400) == .internal)
        #expect(GRPCStatusCode(httpStatus: 401) == .unauthenticated)
        #expect(GRPCStatusCode(httpStatus: 403) == .permissionDenied)
        #expect(GRPCStatusCode(httpStatus: 404) == .unimplemented)
        #expect([429, 502, 503, 504].allSatisfy { GRPCStatusCode(httpStatus: $0) == .unavailable })
        #expect(GRPCStatusCode(httpStatus: 500) == .unknown)
        #expect(GRPCStatusCode(resetBy: .refusedStream) == .unavailable)
        #expect(GRPCStatusCode(resetBy: .cancel) == .cancelled)
        #expect(GRPCStatusCode(resetBy: .enhanceYourCalm) == .resourceExhausted)
        #expect(GRPCStatusCode(resetBy: .protocolError) == .internal)
        #expect(GRPCStatusCode(grpcStatus: "14") == .unavailable)
        #expect(GRPCStatusCode(grpcStatus: "99") == .unknown)
    }
}
