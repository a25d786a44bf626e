import EventHTTP
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// The connection thread's side of a `WebSocketClient`: owns the socket and the frame parser.
struct ClientWorker {
    let client: WebSocketClient
    let fd: Int32
    var codec: ClientFrameCodec
    private var closeSent = false
    private var peerClosed = false
    private var closeDeadline: ContinuousClock.Instant?

    init(client: WebSocketClient, fd: Int32, maxMessageBytes: Int) {
        self.client = client
        self.fd = fd
        self.codec = ClientFrameCodec(maxMessageBytes: maxMessageBytes)
    }

    /// Runs until the connection ends, then releases the socket and the wake-up pipe and wakes every waiter.
    mutating func run() {
        let failure = loop()
        finish(failure)
    }

    private mutating func loop() -> WebSocketClientError? {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        // Frames already read with the handshake.
        if let failure = drainEvents() { return failure }
        while true {
            let (pending, request) = client.shared.withLock { ($0.pending > 0, $0.closeRequest) }
            if let request, !closeSent {
                enqueue(ClientFrameCodec.close, ClientFrameCodec.closePayload(code: request.code, reason: request.reason))
                closeSent = true
                closeDeadline = ContinuousClock.now + .seconds(2)
                continue
            }
            if peerClosed && closeSent && !pending { return nil }
            if let deadline = closeDeadline, ContinuousClock.now >= deadline { return nil }
            var fds = [pollfd(fd: fd, events: Int16(POLLIN) | (pending ? Int16(POLLOUT) : 0), revents: 0),
                       pollfd(fd: client.wakeRead, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, 2, 250)
            if ready < 0 {
                if errno == EINTR { continue }
                return .connectionLost("poll: \(ClientHandshake.errnoText())")
            }
            if fds[1].revents & Int16(POLLIN) != 0 {
                var drain = [UInt8](repeating: 0, count: 256)
                _ = read(client.wakeRead, &drain, drain.count)
            }
            if pending && fds[0].revents & Int16(POLLOUT) != 0 {
                if let failure = flush() { return failure }
            }
            if fds[0].revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 {
                let n = recv(fd, &buffer, buffer.count, Int32(MSG_DONTWAIT))
                if n == 0 {
                    return peerClosed ? nil : .connectionLost("the stream server closed the connection without a Close frame")
                }
                if n < 0 {
                    if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { continue }
                    return .connectionLost(ClientHandshake.errnoText())
                }
                codec.append(buffer[0..<n])
                if let failure = drainEvents() { return failure }
            }
        }
    }

    /// Handles every complete frame in the parser.
    private mutating func drainEvents() -> WebSocketClientError? {
        do {
            while let event = try codec.next() {
                switch event {
                case .message(let message):
                    if !peerClosed { deliver(message) }
                case .ping(let payload):
                    if !closeSent { enqueue(ClientFrameCodec.pong, payload) }
                case .pong:
                    break
                case .close(let code, _):
                    peerClosed = true
                    client.shared.withLock { $0.peerCloseCode = code }
                    if !closeSent {
                        closeSent = true
                        let echo = code.map { ClientFrameCodec.closePayload(code: $0, reason: "") } ?? []
                        enqueue(ClientFrameCodec.close, echo)
                        closeDeadline = ContinuousClock.now + .seconds(2)
                    }
                }
            }
        } catch let error as WebSocketClientError {
            if !closeSent {
                closeSent = true
                enqueue(ClientFrameCodec.close, ClientFrameCodec.closePayload(code: 1002, reason: "protocol error"))
                _ = flush()
            }
            return error
        } catch {
            return .protocolViolation("\(error)")
        }
        return nil
    }

    private func deliver(_ message: WebSocketMessage) {
        let receiver = client.shared.withLock { state -> CheckedContinuation<WebSocketMessage?, any Error>? in
            if let r = state.receiver {
                state.receiver = nil
                return r
            }
            state.inbox.append(message)
            return nil
        }
        receiver?.resume(returning: message)
    }

    /// Queues a control frame from the thread itself (bypasses the "closing" check that `send` applies).
    private func enqueue(_ opcode: UInt8, _ payload: [UInt8]) {
        let frame = ClientFrameCodec.encode(opcode: opcode, payload: payload)
        client.shared.withLock { $0.outbox.append(contentsOf: frame) }
    }

    /// Writes as much of the queue as the socket takes without blocking.
    private func flush() -> WebSocketClientError? {
        while true {
            let chunk: [UInt8] = client.shared.withLock { state in
                Array(state.outbox[state.outboxHead..<min(state.outboxHead + 64 * 1024, state.outbox.count)])
            }
            if chunk.isEmpty { return nil }
            let n = chunk.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, ClientHandshake.noSignal | Int32(MSG_DONTWAIT)) }
            if n < 0 {
                if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { return nil }
                return .connectionLost(ClientHandshake.errnoText())
            }
            let waiters = client.shared.withLock { state -> [CheckedContinuation<Void, any Error>] in
                state.outboxHead += n
                if state.outboxHead == state.outbox.count {
                    state.outbox.removeAll(keepingCapacity: state.outbox.count <= 1 << 20)
                    state.outboxHead = 0
                } else if state.outboxHead > 1 << 20 {
                    state.outbox.removeFirst(state.outboxHead)
                    state.outboxHead = 0
                }
                guard state.pending <= WebSocketClient.lowWater else { return [] }
                defer { state.drainWaiters = [] }
                return state.drainWaiters
            }
            for waiter in waiters { waiter.resume() }
            if n < chunk.count { return nil }
        }
    }

    private func finish(_ failure: WebSocketClientError?) {
        let (receiver, drains, closes, result) = client.shared.withLock { state in
            state.ended = true
            state.failure = failure
            close(client.wake)
            close(client.wakeRead)
            defer {
                state.receiver = nil
                state.drainWaiters = []
                state.closeWaiters = []
            }
            let result: Result<WebSocketMessage?, any Error> = failure.map { .failure($0) } ?? .success(nil)
            return (state.receiver, state.drainWaiters, state.closeWaiters, result)
        }
        close(fd)
        receiver?.resume(with: result)
        for drain in drains { drain.resume(throwing: failure ?? .closed) }
        for waiter in closes { waiter.resume() }
    }
}
