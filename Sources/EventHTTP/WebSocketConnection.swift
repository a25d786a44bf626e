/// An accepted WebSocket connection, used from the upgrade handler's task.
///
/// Incoming messages are parsed on the loop thread and queued in a pthread-mutex-protected inbox; sends go to the
/// loop thread through `EventLoop.submit`. Pings are answered automatically on the loop thread.
public final class WebSocketConnection: Sendable {
    /// The negotiated subprotocol, if any.
    public let subprotocol: String?
    private let connection: Connection
    private let inbox = Locked(Inbox())

    struct Inbox {
        var messages: [WebSocketMessage] = []
        var finished = false
        var receiver: CheckedContinuation<WebSocketMessage?, any Error>?
        var closeWaiters: [CheckedContinuation<Void, Never>] = []
    }

    init(connection: Connection, subprotocol: String?) {
        self.connection = connection
        self.subprotocol = subprotocol
    }

    /// Sends a message. Waits while the output buffer is above the high watermark. Throws `HTTPClientGone` when the
    /// connection is closed or closing.
    public func send(_ message: WebSocketMessage) async throws {
        guard !inbox.withLock({ $0.finished }) else { throw HTTPClientGone() }
        let connection = self.connection
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let queued = connection.core.loop.submit {
                guard let session = connection.webSocket, session.send(message) else {
                    continuation.resume(throwing: HTTPClientGone())
                    return
                }
                connection.waitForDrain(continuation)
            }
            if !queued { continuation.resume(throwing: HTTPClientGone()) }
        }
    }

    /// The next message, or nil once the connection is closed (after a Close frame or a disconnect).
    /// Only one receive may be pending at a time.
    public func receive() async throws -> WebSocketMessage? {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<WebSocketMessage?, any Error>) in
            let immediate: Result<WebSocketMessage?, any Error>? = inbox.withLock { state in
                if !state.messages.isEmpty { return .success(state.messages.removeFirst()) }
                if state.finished { return .success(nil) }
                if state.receiver != nil { return .failure(WebSocketConcurrentReceive()) }
                state.receiver = continuation
                return nil
            }
            if let immediate { continuation.resume(with: immediate) }
        }
    }

    /// Starts the close handshake (if not already done) and returns once the connection is closed
    /// (the peer's Close arrived, or after at most ~2 s).
    public func close(code: UInt16 = 1000, reason: String = "") async {
        let connection = self.connection
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = inbox.withLock { state -> Bool in
                if state.finished { return true }
                state.closeWaiters.append(continuation)
                return false
            }
            if done {
                continuation.resume()
                return
            }
            let queued = connection.core.loop.submit { connection.webSocket?.initiateClose(code: code, reason: reason) }
            if !queued { finish() }
        }
    }

    /// Loop thread: a complete message arrived.
    func deliver(_ message: WebSocketMessage) {
        let receiver = inbox.withLock { state -> CheckedContinuation<WebSocketMessage?, any Error>? in
            if let r = state.receiver {
                state.receiver = nil
                return r
            }
            state.messages.append(message)
            return nil
        }
        receiver?.resume(returning: message)
    }

    /// The connection is closed (or closing): wake the receiver with nil and any close() callers.
    func finish() {
        let (receiver, waiters) = inbox.withLock { state in
            state.finished = true
            defer {
                state.receiver = nil
                state.closeWaiters = []
            }
            return (state.receiver, state.closeWaiters)
        }
        receiver?.resume(returning: nil)
        for w in waiters { w.resume() }
    }
}

/// Thrown when two tasks call `WebSocketConnection.receive()` at the same time.
public struct WebSocketConcurrentReceive: Error, Sendable {}
