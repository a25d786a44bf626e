import Glibc
import Synchronization
import SystemSupport

/// One HTTP/2 connection (cleartext, prior knowledge) carrying unary gRPC calls.
///
/// Threads: a dedicated reader thread connects, then waits in poll(2) on the socket and an eventfd, no longer
/// than the nearest call deadline; it decodes frames, dispatches them to calls by stream id and resumes each
/// caller's continuation itself. Callers encode their HEADERS and DATA and write them to the socket themselves
/// under `writer` (the lock that also orders stream ids), so a call costs no hop to another thread on the way
/// out and one resume on the way back. What is shared lives in `table` (see `CallTable`); lock order is
/// `writer`, then `table` or `control`, never the reverse.
final class HTTP2Connection: Sendable {
    /// Settings this client announces and the windows it keeps open.
    struct Configuration: Sendable {
        /// `:authority` of every request.
        var authority: String
        /// `user-agent` of every request.
        var userAgent: String
        /// Largest response message accepted (`resourceExhausted` above it).
        var maxResponseMessageBytes: Int
        /// How long a send may wait for the peer to read before the connection is given up. It also bounds how
        /// long other callers wait for the write lock behind such a send, whatever their own deadlines: a caller's
        /// deadline is kept while it waits for the peer, not while it waits for another caller.
        var sendTimeout: Duration
        /// How long a TCP connect may take (a unix socket connects or fails at once).
        var connectTimeout: Duration

        /// Every stream's receive window: a whole response of the largest size fits, so stream windows never
        /// need replenishing.
        var streamReceiveWindow: Int { min(Int(HTTP2Limits.maxWindowSize), maxResponseMessageBytes + 1 << 20) }
        /// The connection's receive window, replenished as half of it is consumed.
        var connectionReceiveWindow: Int { min(Int(HTTP2Limits.maxWindowSize), 2 * streamReceiveWindow) }
    }

    let target: GRPCTarget
    let configuration: Configuration
    let tracker: ConnectionTracker
    let requestHead: GRPCRequestHead
    let table: Mutex<CallTable>
    /// The socket, -1 before it connects and after it closes; held while writing.
    let writer = Mutex<Int32>(-1)
    /// Wakes the reader out of poll; closed only in deinit, so no write can reach a reused descriptor.
    let eventFD: Int32
    let lifecycle = Mutex<Lifecycle>(Lifecycle())
    /// Control frames queued by the reader (or a cancelling task) while a caller held the write lock.
    let control = Mutex<ControlQueue>(ControlQueue())
    /// Set by the reader when the peer's first SETTINGS arrives: the connection is counted in `tracker` from then
    /// until the reader ends.
    let established = Atomic<Bool>(false)

    /// Whether the reader has finished, and who waits for it.
    struct Lifecycle {
        var finished = false
        var waiters: [UnsafeContinuation<Void, Never>] = []
    }

    /// Creates the connection and starts its reader thread, which connects. Calls may be started at once: they
    /// wait for the connection (within their deadlines).
    init(target: GRPCTarget, configuration: Configuration, tracker: ConnectionTracker) {
        self.target = target
        self.configuration = configuration
        self.tracker = tracker
        self.requestHead = GRPCRequestHead(authority: configuration.authority, userAgent: configuration.userAgent)
        self.table = Mutex(CallTable(maxMessageSize: configuration.maxResponseMessageBytes))
        let eventFD: Int32
        var startError: String?
        do {
            eventFD = try WireSocket.makeEventFD()
        } catch {
            eventFD = -1
            startError = "\(error)"
        }
        self.eventFD = eventFD
        if startError == nil {
            do {
                try SystemThread.start(name: "grpc-conn") { [self] in runReader() }
            } catch {
                startError = "\(error)"
            }
        }
        if let startError {
            fail(GRPCCallError(code: .unavailable, message: "cannot start a connection to \(target): \(startError)"),
                 retryUnsent: false)
            lifecycle.withLock { $0.finished = true }
        }
    }

    deinit {
        writer.withLock { fd in
            if fd >= 0 { Glibc.close(fd) }
        }
        if eventFD >= 0 { Glibc.close(eventFD) }
    }

    /// True while new calls may start here (not closing, not gone).
    var acceptsCalls: Bool { table.withLock { $0.acceptsCalls } }

    // MARK: Calls

    /// Runs one unary call: `body` is the length-prefixed request message; the result is the response message.
    func unary(path: String, body: [UInt8], deadline: UInt64) async -> Result<[UInt8], GRPCCallError> {
        let (id, wakeReader) = table.withLock { $0.register(deadline: deadline) }
        if wakeReader { WireSocket.signal(eventFD) }
        // A task cancelled already runs `onCancel` at once, before `run` starts.
        return await withTaskCancellationHandler {
            await run(id, path: path, body: body, deadline: deadline)
        } onCancel: {
            abandon(id, GRPCCallError(code: .cancelled, message: "the calling task was cancelled"))
        }
    }

    private func run(_ id: UInt64, path: String, body: [UInt8], deadline: UInt64) async -> Result<[UInt8], GRPCCallError> {
        var sent = 0
        while true {
            switch write(id, path: path, body: body, sent: &sent, deadline: deadline) {
            case .done:
                return await withUnsafeContinuation { continuation in
                    let (outcome, closeDue) = table.withLock { ($0.awaitOutcome(id, continuation), $0.closeDue) }
                    if let outcome {
                        if closeDue { WireSocket.signal(eventFD) }
                        continuation.resume(returning: outcome)
                    }
                }
            case .again:
                continue
            case .wait:
                await withUnsafeContinuation { continuation in
                    if table.withLock({ $0.park(id, continuation) }) { continuation.resume() }
                }
            case .finished(let outcome):
                // The reader closes a draining connection once its last call is gone; this may be that call.
                if table.withLock({ table in
                    table.forget(id)
                    return table.closeDue
                }) {
                    WireSocket.signal(eventFD)
                }
                return outcome
            }
        }
    }

    private enum WriteStep {
        case done, again, wait
        case finished(Result<[UInt8], GRPCCallError>)
    }

    /// Writes what call `id` may send now, under the write lock.
    private func write(_ id: UInt64, path: String, body: [UInt8], sent: inout Int, deadline: UInt64) -> WriteStep {
        var failed: CallTable.Wakeups?
        let step = writer.withLock { (fd: inout Int32) -> WriteStep in
            let (next, wakeups) = table.withLock { table in
                var wakeups = CallTable.Wakeups()
                let next = table.nextSend(id, sent: sent, bodyCount: body.count, into: &wakeups)
                return (next, wakeups)
            }
            wakeups.resume()
            switch next {
            case .wait:
                return .wait
            case .finished(let outcome):
                return .finished(outcome)
            case .send(let stream, let headers, let range, let last, let maxFrameSize):
                var encoder = HTTP2FrameEncoder()
                let now = MonotonicTime.now()
                if headers {
                    let remaining = deadline == .max ? nil : deadline - min(deadline, now)
                    encoder.appendHeaderBlock(requestHead.block(path: path, timeout: remaining), stream: stream,
                                              endStream: false, maxFrameSize: maxFrameSize)
                }
                if !range.isEmpty || last {
                    encoder.appendData(body, range, stream: stream, endStream: last, maxFrameSize: maxFrameSize)
                }
                let sendLimit = min(deadline, MonotonicTime.deadline(after: configuration.sendTimeout))
                if let error = WireSocket.send(fd, encoder.bytes, deadline: sendLimit) {
                    // A partial frame may be on the wire: the connection is closed before the lock is released,
                    // so nobody (not the reader's ACKs either) writes after it.
                    failed = closeTable(GRPCCallError(code: .unavailable, message: "connection to \(target) failed: \(error)"))
                    return .again
                }
                sent = range.upperBound
                return last ? .done : .again
            }
        }
        if let failed {
            failed.resume()
            WireSocket.signal(eventFD)
        }
        flushControl()
        return step
    }

    /// Ends call `id` (task cancelled) and resets its stream if it is open.
    private func abandon(_ id: UInt64, _ error: GRPCCallError) {
        let (wakeups, closeDue) = table.withLock { table in
            var wakeups = CallTable.Wakeups()
            table.finish(id, .failure(error), reset: true, into: &wakeups)
            return (wakeups, table.closeDue)
        }
        deliver(wakeups)
        // The last call of a draining connection: the reader sleeps until that call's deadline unless woken.
        if closeDue { WireSocket.signal(eventFD) }
    }

    // MARK: Shared with the reader

    /// Sends the RST_STREAMs in `wakeups`, then resumes its continuations.
    func deliver(_ wakeups: CallTable.Wakeups) {
        if !wakeups.resets.isEmpty {
            var encoder = HTTP2FrameEncoder()
            for stream in wakeups.resets { encoder.append(.rstStream(stream: stream, error: .cancel)) }
            sendControl(encoder.bytes)
        }
        wakeups.resume()
    }

    /// Queues frames that are not part of a request (ACKs, window updates, resets, GOAWAY) and writes them now,
    /// unless a caller holds the write lock: that caller writes them as it leaves (`flushControl`). `pings`
    /// counts the PING ACKs among them, recorded once written.
    ///
    /// Why not wait for the lock: containerd answers a request's DATA with a PING at once, so the reader would
    /// otherwise meet the caller still inside its `send` on almost every call and spin or sleep on the lock.
    func sendControl(_ bytes: [UInt8], pings: Int = 0) {
        control.withLock { queue in
            queue.bytes += bytes
            queue.pings += pings
        }
        flushControl()
    }

    /// Writes the queued control frames if the write lock is free. Every holder of the write lock calls this
    /// after releasing it, so frames queued while it wrote are never left behind. The frames are the
    /// connection's, not the caller's: they get `controlSendTimeout`, not the caller's deadline, so a call about
    /// to expire cannot fail the whole connection by flushing someone else's ACK.
    func flushControl() {
        while control.withLock({ !$0.bytes.isEmpty }) {
            let step = writer.withLockIfAvailable { (fd: inout Int32) -> ControlFlush in
                let queued = control.withLock { queue in
                    defer { queue = ControlQueue() }
                    return queue
                }
                // A connection that failed (a send timed out mid-frame, say) takes no more bytes.
                guard fd >= 0, table.withLock({ $0.acceptsFrames }) else { return .closed }
                let deadline = MonotonicTime.deadline(after: Self.controlSendTimeout)
                if let failure = WireSocket.send(fd, queued.bytes, deadline: deadline) {
                    return .failed(closeTable(GRPCCallError(
                        code: .unavailable, message: "connection to \(target) failed: \(failure)")))
                }
                return .sent(pings: queued.pings)
            }
            switch step {
            case nil, .closed?:
                // Busy: the holder flushes as it leaves. Closed: nothing can be sent any more.
                return
            case .sent(let pings)?:
                if pings > 0 { tracker.pingAnswered(pings) }
            case .failed(let wakeups)?:
                wakeups.resume()
                WireSocket.signal(eventFD)
                return
            }
        }
    }

    /// Control frames waiting for the write lock.
    struct ControlQueue {
        var bytes: [UInt8] = []
        var pings = 0
    }

    private enum ControlFlush {
        case sent(pings: Int)
        case closed
        /// The send failed; the table is closed and these callers are to be resumed.
        case failed(CallTable.Wakeups)
    }

    /// How long a write of control frames may wait for the peer to read. Short: the reader itself may be the
    /// writer, and while it waits it reads nothing, so a peer that waits for us to read would wait for it too.
    static let controlSendTimeout = Duration.seconds(1)

    /// Fails every call with `error` and marks the connection gone; the reader sees it and closes the socket.
    /// `retryUnsent`: calls that sent nothing may be tried again on a new connection.
    func fail(_ error: GRPCCallError, retryUnsent: Bool) {
        closeTable(error, retryUnsent: retryUnsent).resume()
        if eventFD >= 0 { WireSocket.signal(eventFD) }
    }

    /// Closes the call table with `error`; returns the callers to resume (outside any lock).
    private func closeTable(_ error: GRPCCallError, retryUnsent: Bool = true) -> CallTable.Wakeups {
        table.withLock { table in
            var wakeups = CallTable.Wakeups()
            table.close(with: error, retryUnsent: retryUnsent, into: &wakeups)
            return wakeups
        }
    }

    // MARK: Closing

    /// Stops new calls; the reader closes the connection once the calls in flight have finished.
    func beginClose() {
        let wakeups = table.withLock { table in
            var wakeups = CallTable.Wakeups()
            table.drain(into: &wakeups)
            return wakeups
        }
        wakeups.resume()
        if eventFD >= 0 { WireSocket.signal(eventFD) }
    }

    /// Lets the calls in flight finish, then closes the connection; returns once its thread has ended.
    func close() async {
        beginClose()
        await withUnsafeContinuation { continuation in
            let finished = lifecycle.withLock { state in
                if !state.finished { state.waiters.append(continuation) }
                return state.finished
            }
            if finished { continuation.resume() }
        }
    }
}
