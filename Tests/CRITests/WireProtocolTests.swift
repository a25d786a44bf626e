import Foundation
import Testing

@testable import CRI

/// The wire client against a scripted HTTP/2 peer: the protocol cases containerd does not produce.
@Suite("gRPC wire client against a scripted HTTP/2 peer")
struct WireProtocolTests {
    static let path = "/test.Service/Method"

    /// Runs `body` with a peer serving `connections` connections with `script`, then checks the script passed.
    /// `tcpHost`: listen on that loopback address instead of a unix socket.
    func withPeer(
        connections: Int = 1, options: GRPCUnaryClient.Options = .init(), tcpHost: String? = nil,
        script: @escaping @Sendable (Int, PeerConnection) throws -> Void,
        _ body: (GRPCUnaryClient) async throws -> Void
    ) async throws {
        let peer = try tcpHost.map { try ScriptedHTTP2Peer(loopback: $0) } ?? ScriptedHTTP2Peer()
        defer { peer.shutdown() }
        let run = peer.serve(connections: connections, script)
        let client = peer.client(options)
        do {
            try await body(client)
        } catch {
            await client.close()
            throw error
        }
        await client.close()
        let failure = await run.wait()
        #expect(failure == nil, "peer script: \(failure ?? "")")
    }

    /// The error of one call with an empty request (an issue is recorded if it succeeds).
    func callError(_ client: GRPCUnaryClient, timeout: Duration = .seconds(5)) async -> GRPCCallError? {
        await #expect(throws: GRPCCallError.self) {
            _ = try await client.unary(path: Self.path, request: [], timeout: timeout)
        }
    }

    @Test("request headers are gRPC's; a response split over many padded DATA frames and a header block over CONTINUATION frames arrives whole")
    func splitResponse() async throws {
        let message = (0..<50_000).map { UInt8(truncatingIfNeeded: $0 * 7) }
        try await withPeer(script: { _, connection in
            let settings = try connection.handshake()
            guard settings.contains(where: { $0.identifier == HTTP2Setting.enablePush && $0.value == 0 }),
                  settings.contains(where: { $0.identifier == HTTP2Setting.initialWindowSize && $0.value >= 16 << 20 })
            else { throw PeerError("client settings \(settings)") }
            let request = try connection.readRequest()
            let expected: [(String, String)] = [
                (":method", "POST"), (":scheme", "http"), (":path", Self.path), (":authority", "localhost"),
                ("content-type", "application/grpc"), ("te", "trailers"),
            ]
            for (name, value) in expected where request.header(name) != value {
                throw PeerError("header \(name) is \(request.header(name) ?? "missing")")
            }
            guard let timeout = request.header("grpc-timeout"), timeout.hasSuffix("m") || timeout.hasSuffix("u"),
                  request.header("user-agent") != nil, request.message == [1, 2, 3]
            else { throw PeerError("request \(request.headers) \(request.body)") }
            // The response header block in three fragments: HEADERS, CONTINUATION, CONTINUATION.
            let block = PeerConnection.block([(":status", "200"), ("content-type", "application/grpc+proto"),
                                               ("x-filler", String(repeating: "f", count: 300))])
            let third = block.count / 3
            connection.write([
                .headers(stream: request.stream, block: Array(block[0..<third]), endStream: false, endHeaders: false),
                .continuation(stream: request.stream, block: Array(block[third..<2 * third]), endHeaders: false),
                .continuation(stream: request.stream, block: Array(block[(2 * third)...]), endHeaders: true),
            ])
            // The message in 7-byte pieces first (the prefix itself is split), then the rest in 1,000-byte ones.
            let framed = PeerConnection.grpcFramed(message)
            var offset = 0
            while offset < framed.count {
                let size = offset < 70 ? 7 : 1_000
                let end = min(framed.count, offset + size)
                connection.write([.data(stream: request.stream, payload: Array(framed[offset..<end]), endStream: false,
                                        paddedLength: 0)], padding: UInt8(offset % 5))
                offset = end
            }
            connection.write([.headers(stream: request.stream, block: PeerConnection.block([("grpc-status", "0")]),
                                       endStream: true, endHeaders: true)])
            _ = connection.waitForClose()
        }) { client in
            let reply = try await client.unary(path: Self.path, request: [1, 2, 3], timeout: .seconds(5))
            #expect(reply == message)
        }
    }

    @Test("a trailers-only error keeps its code and percent-decoded message; non-200 statuses map as gRPC says")
    func trailersOnlyAndHTTPStatus() async throws {
        try await withPeer(script: { _, connection in
            try connection.handshake()
            let first = try connection.readRequest()
            connection.write([.headers(stream: first.stream, block: PeerConnection.block([
                (":status", "200"), ("content-type", "application/grpc"), ("grpc-status", "5"),
                ("grpc-message", "no such thing %E2%9C%93 100%25"),
            ]), endStream: true, endHeaders: true)])
            let second = try connection.readRequest()
            connection.write([.headers(stream: second.stream, block: PeerConnection.block([(":status", "503")]),
                                       endStream: true, endHeaders: true)])
            let third = try connection.readRequest()
            connection.write([.headers(stream: third.stream, block: PeerConnection.block([(":status", "404")]),
                                       endStream: true, endHeaders: true)])
            _ = connection.waitForClose()
        }) { client in
            let notFound = await callError(client)
            #expect(notFound?.code == .notFound)
            #expect(notFound?.message == "no such thing ✓ 100%")
            let unavailable = await callError(client)
            #expect(unavailable?.code == .unavailable)
            let unimplemented = await callError(client)
            #expect(unimplemented?.code == .unimplemented)
            #expect(client.connectionsOpened == 1)
        }
    }

    @Test("RST_STREAM from the server fails only that call with the mapped code; the connection stays usable")
    func serverReset() async throws {
        try await withPeer(script: { _, connection in
            try connection.handshake()
            let first = try connection.readRequest()
            connection.write([.rstStream(stream: first.stream, error: .cancel)])
            let second = try connection.readRequest()
            connection.write([.rstStream(stream: second.stream, error: .internalError)])
            let third = try connection.readRequest()
            connection.write(PeerConnection.okResponse(stream: third.stream, message: [42]))
            _ = connection.waitForClose()
        }) { client in
            let cancelled = await callError(client)
            #expect(cancelled?.code == .cancelled)
            let internalError = await callError(client)
            #expect(internalError?.code == .internal)
            let reply = try await client.unary(path: Self.path, request: [], timeout: .seconds(5))
            #expect(reply == [42])
            #expect(client.connectionsOpened == 1)
        }
    }

    @Test("GOAWAY: the stream below last-stream-id finishes, the one above is sent again on a new connection")
    func goAway() async throws {
        try await withPeer(connections: 2, script: { index, connection in
            try connection.handshake()
            if index == 0 {
                let first = try connection.readRequest()
                let second = try connection.readRequest()
                // Only the lower stream is processed; the client must send the higher one again elsewhere.
                let low = first.stream < second.stream ? first : second
                connection.write([.goAway(lastStream: low.stream, error: .noError, debug: [])])
                connection.write(PeerConnection.okResponse(stream: low.stream, message: low.message))
                // The client closes the old connection once its last stream is done.
                guard connection.waitForClose() else { throw PeerError("old connection not closed") }
            } else {
                let retried = try connection.readRequest()
                connection.write(PeerConnection.okResponse(stream: retried.stream, message: retried.message))
                let fresh = try connection.readRequest()
                connection.write(PeerConnection.okResponse(stream: fresh.stream, message: fresh.message))
                _ = connection.waitForClose()
            }
        }) { client in
            async let a = client.unary(path: Self.path, request: [1], timeout: .seconds(5))
            async let b = client.unary(path: Self.path, request: [2], timeout: .seconds(5))
            let replies = try await [a, b]
            #expect(replies == [[1], [2]])
            // A new call after GOAWAY uses the new connection.
            let reply = try await client.unary(path: Self.path, request: [3], timeout: .seconds(5))
            #expect(reply == [3])
            #expect(client.connectionsOpened == 2)
        }
    }

    @Test("a request larger than the peer's tiny INITIAL_WINDOW_SIZE waits for WINDOW_UPDATE and arrives whole")
    func tinyWindow() async throws {
        let request = (0..<1_000).map { UInt8(truncatingIfNeeded: $0) }
        try await withPeer(script: { _, connection in
            try connection.handshake()
            // The new window goes out before the first answer, so the client knows it before its next call.
            let warmup = try connection.readRequest()
            connection.write([.settings(ack: false, parameters: [
                HTTP2Setting(identifier: HTTP2Setting.initialWindowSize, value: 10)])])
            connection.write(PeerConnection.okResponse(stream: warmup.stream, message: []))
            var body: [UInt8] = []
            var stream: UInt32 = 0
            var updates = 0
            while true {
                let frame = try connection.readFrame()
                switch frame {
                case .headers(let s, _, _, _):
                    stream = s
                case .data(let s, let payload, let endStream, _):
                    guard payload.count <= 10 + (updates > 0 ? 300 : 0) else { throw PeerError("DATA beyond the window") }
                    body += payload
                    if endStream {
                        guard updates > 0, body == PeerConnection.grpcFramed(request) else {
                            throw PeerError("body \(body.count) bytes after \(updates) updates")
                        }
                        connection.write(PeerConnection.okResponse(stream: s, message: [7]))
                        _ = connection.waitForClose()
                        return
                    }
                    // Open the window a little at a time.
                    updates += 1
                    connection.write([.windowUpdate(stream: stream, increment: 300)])
                default:
                    break
                }
            }
        }) { client in
            let warmup = try await client.unary(path: Self.path, request: [], timeout: .seconds(5))
            #expect(warmup == [])
            let reply = try await client.unary(path: Self.path, request: request, timeout: .seconds(5))
            #expect(reply == [7])
        }
    }

    @Test("a send window that never opens is bounded by the call's deadline")
    func windowBoundedByDeadline() async throws {
        try await withPeer(script: { _, connection in
            try connection.handshake()
            let warmup = try connection.readRequest()
            connection.write([.settings(ack: false, parameters: [
                HTTP2Setting(identifier: HTTP2Setting.initialWindowSize, value: 0)])])
            connection.write(PeerConnection.okResponse(stream: warmup.stream, message: []))
            // Only HEADERS of the second call can come; then its reset when the deadline passes.
            let reset = try connection.nextFrame { frame -> UInt32? in
                if case .rstStream(let stream, .cancel) = frame { return stream } else { return nil }
            }
            guard reset == 3 else { throw PeerError("reset of stream \(reset)") }
            _ = connection.waitForClose()
        }) { client in
            _ = try await client.unary(path: Self.path, request: [], timeout: .seconds(5))
            let start = ContinuousClock.now
            let error = await #expect(throws: GRPCCallError.self) {
                _ = try await client.unary(path: Self.path, request: [1, 2, 3], timeout: .milliseconds(300))
            }
            #expect(error?.code == .deadlineExceeded)
            #expect(ContinuousClock.now - start < .seconds(1))
        }
    }

    @Test("a peer that opens its windows and then stops reading cannot hold a sending caller past its deadline")
    func stuckPeer() async throws {
        try await withPeer(script: { _, connection in
            try connection.handshake()
            let warmup = try connection.readRequest()
            connection.write([
                .settings(ack: false, parameters: [HTTP2Setting(identifier: HTTP2Setting.initialWindowSize, value: 1 << 30)]),
                .windowUpdate(stream: 0, increment: 1 << 30),
            ])
            connection.write(PeerConnection.okResponse(stream: warmup.stream, message: []))
            // Read nothing more until the client gives up on the connection.
            Thread.sleep(forTimeInterval: 2)
        }) { client in
            let warmup = try await client.unary(path: Self.path, request: [], timeout: .seconds(5))
            #expect(warmup == [])
            let start = ContinuousClock.now
            let error = await #expect(throws: GRPCCallError.self) {
                _ = try await client.unary(path: Self.path, request: [UInt8](repeating: 7, count: 8 << 20),
                                           timeout: .milliseconds(500))
            }
            #expect(error?.code == .deadlineExceeded || error?.code == .unavailable, "\(String(describing: error))")
            #expect(ContinuousClock.now - start < .seconds(1))
        }
    }

    @Test("MAX_CONCURRENT_STREAMS 1: calls wait for a slot and never overlap")
    func oneStreamAtATime() async throws {
        try await withPeer(script: { _, connection in
            try connection.handshake(settings: [HTTP2Setting(identifier: HTTP2Setting.maxConcurrentStreams, value: 1)])
            let warmup = try connection.readRequest()
            connection.write(PeerConnection.okResponse(stream: warmup.stream, message: warmup.message))
            for _ in 0..<3 {
                let request = try connection.readRequest()
                // No other stream may open while this one is unanswered.
                do {
                    let extra = try connection.readFrame(timeout: 200)
                    if case .headers = extra { throw PeerError("a second stream opened while one was active") }
                } catch let error as PeerError where error.description.contains("timed out") {
                }
                connection.write(PeerConnection.okResponse(stream: request.stream, message: request.message))
            }
            _ = connection.waitForClose()
        }) { client in
            let warmup = try await client.unary(path: Self.path, request: [0], timeout: .seconds(5))
            #expect(warmup == [0])
            try await withThrowingTaskGroup(of: [UInt8].self) { group in
                for value in 1...3 {
                    group.addTask { try await client.unary(path: Self.path, request: [UInt8(value)], timeout: .seconds(10)) }
                }
                var replies: [[UInt8]] = []
                for try await reply in group { replies.append(reply) }
                #expect(replies.sorted { $0[0] < $1[0] } == [[1], [2], [3]])
            }
        }
    }

    @Test("a malformed frame is a connection error: GOAWAY PROTOCOL_ERROR, calls fail unavailable, the next call reconnects")
    func malformedFrame() async throws {
        try await withPeer(connections: 3, script: { index, connection in
            try connection.handshake()
            let request = try connection.readRequest()
            switch index {
            case 0:
                // DATA on stream 0.
                connection.writeRaw([0, 0, 1, 0, 0, 0, 0, 0, 0, 0xFF])
            case 1:
                connection.write([.pushPromise(stream: request.stream, promised: 2, block: [], endHeaders: true)])
            default:
                connection.write(PeerConnection.okResponse(stream: request.stream, message: [9]))
                _ = connection.waitForClose()
                return
            }
            let code = try connection.nextFrame { frame -> HTTP2ErrorCode? in
                if case .goAway(_, let code, _) = frame { return code } else { return nil }
            }
            guard code == .protocolError else { throw PeerError("GOAWAY \(code)") }
        }) { client in
            for _ in 0..<2 {
                let error = await callError(client)
                #expect(error?.code == .unavailable)
                #expect(error?.message.contains("protocol error") == true, "\(String(describing: error))")
            }
            let reply = try await client.unary(path: Self.path, request: [], timeout: .seconds(5))
            #expect(reply == [9])
            #expect(client.connectionsOpened == 3)
        }
    }

    @Test("a compressed or oversized response message fails the call and resets the stream")
    func badMessages() async throws {
        try await withPeer(options: .init(maxResponseMessageBytes: 1_000), script: { _, connection in
            try connection.handshake()
            for (compressed, length) in [(true, 3), (false, 2_000)] {
                let request = try connection.readRequest()
                connection.write([
                    .headers(stream: request.stream, block: PeerConnection.block([(":status", "200"), ("content-type", "application/grpc")]),
                             endStream: false, endHeaders: true),
                    .data(stream: request.stream, payload: PeerConnection.grpcFramed([1, 2, 3], compressed: compressed, length: length),
                          endStream: false, paddedLength: 0),
                ])
                let reset = try connection.nextFrame { frame -> UInt32? in
                    if case .rstStream(let stream, .cancel) = frame { return stream } else { return nil }
                }
                guard reset == request.stream else { throw PeerError("reset \(reset)") }
            }
            _ = connection.waitForClose()
        }) { client in
            let compressed = await callError(client)
            #expect(compressed?.code == .internal)
            let oversized = await callError(client)
            #expect(oversized?.code == .resourceExhausted)
        }
    }

    @Test("deadline and cancellation: the call ends promptly and its stream is reset; PINGs are answered")
    func deadlineCancelAndPing() async throws {
        try await withPeer(script: { _, connection in
            try connection.handshake()
            let slow = try connection.readRequest()
            guard let timeout = slow.header("grpc-timeout"), timeout.hasSuffix("u") || timeout.hasSuffix("m") else {
                throw PeerError("grpc-timeout \(String(describing: slow.header("grpc-timeout")))")
            }
            _ = try connection.nextFrame { frame -> Bool? in
                if case .rstStream(slow.stream, .cancel) = frame { return true } else { return nil }
            }
            let cancelled = try connection.readRequest()
            _ = try connection.nextFrame { frame -> Bool? in
                if case .rstStream(cancelled.stream, .cancel) = frame { return true } else { return nil }
            }
            connection.write([.ping(ack: false, data: 0x0102_0304_0506_0708)])
            let ack = try connection.nextFrame { frame -> UInt64? in
                if case .ping(true, let data) = frame { return data } else { return nil }
            }
            guard ack == 0x0102_0304_0506_0708 else { throw PeerError("PING ACK \(ack)") }
            _ = connection.waitForClose()
        }) { client in
            var start = ContinuousClock.now
            let late = await callError(client, timeout: .milliseconds(300))
            #expect(late?.code == .deadlineExceeded)
            #expect(ContinuousClock.now - start < .milliseconds(900))

            let task = Task { try await client.unary(path: Self.path, request: [], timeout: .seconds(30)) }
            try await Task.sleep(for: .milliseconds(200))
            start = ContinuousClock.now
            task.cancel()
            let result = await task.result
            #expect(ContinuousClock.now - start < .milliseconds(500))
            #expect((result.error as? GRPCCallError)?.code == .cancelled)

            let deadline = ContinuousClock.now + .seconds(5)
            while client.pingsAnswered == 0, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
            #expect(client.pingsAnswered == 1)
        }
    }

    @Test("TCP over IPv4 and IPv6: the call works and :authority names host and port", arguments: ["127.0.0.1", "::1"])
    func tcp(host: String) async throws {
        try await withPeer(tcpHost: host, script: { _, connection in
            try connection.handshake()
            let request = try connection.readRequest()
            guard let authority = request.header(":authority"), authority.hasPrefix(host.contains(":") ? "[::1]:" : "127.0.0.1:")
            else { throw PeerError(":authority \(String(describing: request.header(":authority")))") }
            connection.write(PeerConnection.okResponse(stream: request.stream, message: request.message))
            _ = connection.waitForClose()
        }) { client in
            let reply = try await client.unary(path: Self.path, request: [4, 2], timeout: .seconds(5))
            #expect(reply == [4, 2])
        }
    }

    @Test("a TCP port nobody listens on fails at once with unavailable")
    func tcpRefused() async throws {
        // A port that was free a moment ago: bind one, read its number, close it.
        let port: Int
        do {
            let probe = try ScriptedHTTP2Peer(loopback: "127.0.0.1")
            guard case .tcp(_, let free) = probe.target else { return }
            port = free
            probe.shutdown()
        }
        let client = GRPCUnaryClient(target: .tcp(host: "127.0.0.1", port: port))
        let start = ContinuousClock.now
        let error = await #expect(throws: GRPCCallError.self) {
            _ = try await client.unary(path: Self.path, request: [], timeout: .seconds(5))
        }
        await client.close()
        #expect(error?.code == .unavailable)
        #expect(error?.message.contains("not reachable") == true, "\(String(describing: error))")
        #expect(ContinuousClock.now - start < .seconds(1))
        #expect(client.connectionsOpened == 0)
    }

    @Test("close() lets the call in flight finish, then closes the connection; later calls fail unavailable")
    func closeDrains() async throws {
        let peer = try ScriptedHTTP2Peer()
        defer { peer.shutdown() }
        let run = peer.serve { _, connection in
            try connection.handshake()
            let request = try connection.readRequest()
            Thread.sleep(forTimeInterval: 0.3)
            connection.write(PeerConnection.okResponse(stream: request.stream, message: [5]))
            guard connection.waitForClose() else { throw PeerError("the connection stayed open after close()") }
        }
        let client = peer.client()
        let call = Task { try await client.unary(path: Self.path, request: [], timeout: .seconds(5)) }
        try await Task.sleep(for: .milliseconds(100))
        let closing = ContinuousClock.now
        await client.close()
        // The peer answers about 300 ms after the request: close() waited for that, then closed.
        #expect(ContinuousClock.now - closing >= .milliseconds(150))
        #expect(try await call.value == [5])
        #expect(client.openConnections == 0)
        let after = await callError(client)
        #expect(after?.code == .unavailable)
        let failure = await run.wait()
        #expect(failure == nil, "peer script: \(failure ?? "")")
    }

    @Test("a 40 kB grpc-message (over NIOHPACK's default 16 KiB list limit) arrives whole; the connection stays")
    func longStatusMessage() async throws {
        let text = String(repeating: "why ", count: 10_000)
        try await withPeer(script: { _, connection in
            try connection.handshake()
            let first = try connection.readRequest()
            let block = PeerConnection.block([(":status", "200"), ("content-type", "application/grpc"),
                                               ("grpc-status", "9"), ("grpc-message", text)])
            // Fragments under the default SETTINGS_MAX_FRAME_SIZE of 16,384.
            var frames: [HTTP2Frame] = []
            var offset = 0
            while offset < block.count {
                let end = min(block.count, offset + 10_000)
                let piece = Array(block[offset..<end])
                frames.append(offset == 0
                    ? .headers(stream: first.stream, block: piece, endStream: true, endHeaders: end == block.count)
                    : .continuation(stream: first.stream, block: piece, endHeaders: end == block.count))
                offset = end
            }
            connection.write(frames)
            let second = try connection.readRequest()
            connection.write(PeerConnection.okResponse(stream: second.stream, message: [7]))
            _ = connection.waitForClose()
        }) { client in
            let error = await callError(client)
            #expect(error?.code == .failedPrecondition)
            #expect(error?.message == text)
            let reply = try await client.unary(path: Self.path, request: [], timeout: .seconds(5))
            #expect(reply == [7])
            #expect(client.connectionsOpened == 1)
        }
    }

    @Test("cancelling the last call of a closing connection lets close() return at once, not at the call's deadline")
    func cancelWhileClosing() async throws {
        let peer = try ScriptedHTTP2Peer()
        defer { peer.shutdown() }
        let run = peer.serve { _, connection in
            try connection.handshake()
            _ = try connection.readRequest()
            // Never answers; the client must close by itself once its only call is cancelled.
            guard connection.waitForClose(timeout: 20_000) else { throw PeerError("the connection stayed open") }
        }
        let client = peer.client()
        let call = Task { try await client.unary(path: Self.path, request: [], timeout: .seconds(60)) }
        try await Task.sleep(for: .milliseconds(200))
        let closing = Task { await client.close() }
        try await Task.sleep(for: .milliseconds(200))
        let cancelled = ContinuousClock.now
        call.cancel()
        await closing.value
        #expect(ContinuousClock.now - cancelled < .seconds(5), "close() waited \(ContinuousClock.now - cancelled)")
        await #expect(throws: GRPCCallError.self) { try await call.value }
        let failure = await run.wait()
        #expect(failure == nil, "peer script: \(failure ?? "")")
    }

    @Test("a connection that drops fails its in-flight call with unavailable")
    func connectionDrop() async throws {
        try await withPeer(script: { _, connection in
            try connection.handshake()
            _ = try connection.readRequest()
            connection.close()
        }) { client in
            let error = await callError(client)
            #expect(error?.code == .unavailable)
        }
    }
}

extension Result {
    var error: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
