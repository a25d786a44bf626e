import EventHTTP
import SystemSupport
#if canImport(Glibc)
import Glibc
#endif

/// An RFC 6455 client connection to a runtime's stream server (plain HTTP on loopback).
///
/// Each connection owns one thread that does the blocking work: connect and handshake under one deadline, then a
/// `poll` loop (250 ms ticks, so no read blocks unboundedly) that writes queued frames, reads and parses server
/// frames, answers pings and runs the close handshake (2 s bound for the peer's Close). Swift tasks talk to it through
/// a mutex-protected mailbox and a wake-up pipe; continuations are always resumed outside the lock.
public final class WebSocketClient: Sendable {
    /// The subprotocol the server selected, if any.
    public let subprotocol: String?
    let shared: Locked<Shared>
    /// Write end of the pipe that wakes the thread; written and closed only under `shared`'s lock.
    let wake: Int32
    /// Read end of the wake-up pipe, polled and closed by the thread.
    let wakeRead: Int32

    /// Bytes queued for the socket above which `send` waits.
    static let highWater = 1 << 20
    /// Queue size at which waiting senders resume.
    static let lowWater = 256 << 10

    struct Shared {
        var outbox: [UInt8] = []
        var outboxHead = 0
        var inbox: [WebSocketMessage] = []
        var receiver: CheckedContinuation<WebSocketMessage?, any Error>?
        var drainWaiters: [CheckedContinuation<Void, any Error>] = []
        var closeWaiters: [CheckedContinuation<Void, Never>] = []
        var closeRequest: (code: UInt16, reason: String)?
        var ended = false
        var failure: WebSocketClientError?
        var peerCloseCode: UInt16?
        var pending: Int { outbox.count - outboxHead }
    }

    init(subprotocol: String?, wakeRead: Int32, wake: Int32) {
        self.subprotocol = subprotocol
        self.wakeRead = wakeRead
        self.wake = wake
        self.shared = Locked(Shared())
    }

    /// Connects and performs the opening handshake, offering `subprotocols` in order.
    /// - Parameters:
    ///   - timeout: bound on TCP connect plus handshake together.
    ///   - maxMessageBytes: largest message accepted from the server; bigger ones end the connection.
    /// - Throws: `WebSocketClientError`.
    public static func connect(to endpoint: StreamEndpoint, subprotocols: [String], timeout: Duration,
                               maxMessageBytes: Int = 16 << 20) async throws -> WebSocketClient {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<WebSocketClient, any Error>) in
            do {
                try SystemThread.start(name: "stream-client") {
                    let upgraded: ClientHandshake.Upgraded
                    do {
                        upgraded = try ClientHandshake.open(endpoint, subprotocols: subprotocols, timeout: timeout)
                    } catch {
                        continuation.resume(throwing: error)
                        return
                    }
                    var pipeFDs: [Int32] = [-1, -1]
                    guard pipe(&pipeFDs) == 0 else {
                        Glibc.close(upgraded.fd)
                        continuation.resume(throwing: WebSocketClientError.connectFailed("pipe: \(ClientHandshake.errnoText())"))
                        return
                    }
                    for end in pipeFDs {
                        _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
                        _ = fcntl(end, F_SETFD, FD_CLOEXEC)
                    }
                    let client = WebSocketClient(subprotocol: upgraded.subprotocol, wakeRead: pipeFDs[0], wake: pipeFDs[1])
                    var worker = ClientWorker(client: client, fd: upgraded.fd, maxMessageBytes: maxMessageBytes)
                    worker.codec.append(upgraded.leftover[...])
                    continuation.resume(returning: client)
                    worker.run()
                }
            } catch {
                continuation.resume(throwing: WebSocketClientError.connectFailed("\(error)"))
            }
        }
    }

    /// Queues a message. Waits while more than `highWater` bytes are queued (backpressure).
    /// - Throws: `WebSocketClientError.closed` after `close`, or the failure that ended the connection.
    public func send(_ message: WebSocketMessage) async throws {
        let frame: [UInt8]
        switch message {
        case .text(let s): frame = ClientFrameCodec.encode(opcode: ClientFrameCodec.text, payload: Array(s.utf8))
        case .binary(let b): frame = ClientFrameCodec.encode(opcode: ClientFrameCodec.binary, payload: b)
        }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let outcome: Result<Bool, WebSocketClientError> = shared.withLock { state in
                if state.ended { return .failure(state.failure ?? .closed) }
                if state.closeRequest != nil { return .failure(.closed) }
                state.outbox.append(contentsOf: frame)
                signal()
                if state.pending > Self.highWater {
                    state.drainWaiters.append(continuation)
                    return .success(false)
                }
                return .success(true)
            }
            switch outcome {
            case .failure(let error): continuation.resume(throwing: error)
            case .success(true): continuation.resume()
            case .success(false): break
            }
        }
    }

    /// The next message; nil after a clean close. Throws the failure when the connection ended abnormally
    /// (messages received before it are delivered first). Only one receive may be pending at a time.
    public func receive() async throws -> WebSocketMessage? {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<WebSocketMessage?, any Error>) in
            let immediate: Result<WebSocketMessage?, any Error>? = shared.withLock { state in
                if !state.inbox.isEmpty { return .success(state.inbox.removeFirst()) }
                if state.ended {
                    if let failure = state.failure { return .failure(failure) }
                    return .success(nil)
                }
                if state.receiver != nil { return .failure(WebSocketClientError.concurrentReceive) }
                state.receiver = continuation
                return nil
            }
            if let immediate { continuation.resume(with: immediate) }
        }
    }

    /// Sends Close (once) after the queued frames and returns when the connection is gone: the server's Close
    /// arrived, or 2 s passed, or the connection had already ended.
    public func close(code: UInt16 = 1000, reason: String = "") async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = shared.withLock { state -> Bool in
                if state.ended { return true }
                if state.closeRequest == nil { state.closeRequest = (code, reason) }
                state.closeWaiters.append(continuation)
                signal()
                return false
            }
            if done { continuation.resume() }
        }
    }

    /// Asks for the close handshake without waiting for it (for owners that are going away).
    public func requestClose(code: UInt16 = 1000, reason: String = "") {
        shared.withLock { state in
            guard !state.ended, state.closeRequest == nil else { return }
            state.closeRequest = (code, reason)
            signal()
        }
    }

    /// The code of the server's Close frame, once one arrived.
    public var peerCloseCode: UInt16? { shared.withLock { $0.peerCloseCode } }

    /// Wakes the thread. Callers hold the lock, so `wake` cannot be closed underneath.
    func signal() {
        var one: UInt8 = 1
        _ = write(wake, &one, 1)
    }
}
