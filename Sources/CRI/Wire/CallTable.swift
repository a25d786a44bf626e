/// The connection's calls and streams, and every rule about them: stream slots (MAX_CONCURRENT_STREAMS), send
/// windows, deadlines and how a call ends. Callers and the reader thread change it only under the connection's
/// state lock; it never blocks and never resumes a continuation itself (it hands them back in a `Wakeups`, to be
/// resumed once the lock is released).
struct CallTable {
    /// Where the connection is in its life.
    enum Phase: Equatable {
        /// The socket is connecting; calls wait for a slot.
        case connecting
        /// Streams may be opened.
        case ready
        /// GOAWAY received or `close()` called: streams already open may finish, no new ones.
        case draining
        /// The connection is gone; every call has failed with this error.
        case closed(GRPCCallError)
    }

    /// Continuations to resume once the lock is released, and a stream to reset.
    struct Wakeups {
        var signals: [UnsafeContinuation<Void, Never>] = []
        var responses: [(UnsafeContinuation<Result<[UInt8], GRPCCallError>, Never>, Result<[UInt8], GRPCCallError>)] = []
        var resets: [UInt32] = []

        /// Adds what `other` collected.
        mutating func append(_ other: Wakeups) {
            signals += other.signals
            responses += other.responses
            resets += other.resets
        }

        /// Resumes everything collected. Call without holding the lock.
        func resume() {
            for signal in signals { signal.resume() }
            for (continuation, outcome) in responses { continuation.resume(returning: outcome) }
        }
    }

    private(set) var phase = Phase.connecting
    /// The peer's settings in force.
    private(set) var peer = HTTP2PeerSettings()
    /// Bytes of DATA we may still send on the connection (the peer's connection window).
    private(set) var connectionSendWindow = HTTP2Limits.defaultWindowSize
    /// Streams open or reserved, counted against the peer's MAX_CONCURRENT_STREAMS.
    private(set) var activeStreams = 0
    /// The earliest instant the reader must look at deadlines again: never later than any call's deadline
    /// (a finished call may leave it earlier, which costs one spurious wake).
    private(set) var plannedWake = UInt64.max
    /// Whether calls that find the connection closed before sending may be tried on a new one.
    private var retryUnsentAfterClose = false
    private var nextCallID: UInt64 = 0
    private var nextStreamID: UInt32 = 1
    private var calls: [UInt64: CallRecord] = [:]
    private var streams: [UInt32: UInt64] = [:]
    /// Calls waiting for a stream slot, first come first served.
    private var slotQueue: [UInt64] = []
    /// Calls waiting for send window.
    private var windowQueue: [UInt64] = []
    let maxMessageSize: Int

    init(maxMessageSize: Int) {
        self.maxMessageSize = maxMessageSize
    }

    /// True when nothing is in flight.
    var isIdle: Bool { calls.isEmpty }
    /// True when a draining connection has nothing left in flight: the reader should close it now.
    var closeDue: Bool { phase == .draining && calls.isEmpty }
    /// True while new calls may be started on this connection.
    var acceptsCalls: Bool { phase == .connecting || phase == .ready }
    /// True until the connection has failed or closed: frames may still be written.
    var acceptsFrames: Bool {
        if case .closed = phase { return false }
        return true
    }

    // MARK: Callers

    /// Adds a call with `deadline`. Returns its id and whether the reader must be woken to honour an earlier
    /// deadline than the one it sleeps until.
    mutating func register(deadline: UInt64) -> (id: UInt64, wakeReader: Bool) {
        nextCallID += 1
        calls[nextCallID] = CallRecord(deadline: deadline, response: GRPCResponseAssembler(maxMessageSize: maxMessageSize))
        if deadline < plannedWake {
            plannedWake = deadline
            return (nextCallID, true)
        }
        return (nextCallID, false)
    }

    /// What a caller does next to send its request.
    enum SendStep {
        /// Write these: HEADERS (when `headers`: the stream opens now), then DATA of `range` of the body,
        /// END_STREAM when `last`.
        case send(stream: UInt32, headers: Bool, range: Range<Int>, last: Bool, maxFrameSize: Int)
        /// Wait for a signal (a slot or window), then ask again.
        case wait
        /// The call is over.
        case finished(Result<[UInt8], GRPCCallError>)
    }

    /// Decides the next write of call `id`, whose body has `sent` of `bodyCount` bytes sent; reserves the
    /// stream slot and consumes window for what it returns. Call under the write lock, so streams are opened in
    /// the order their HEADERS are written.
    mutating func nextSend(_ id: UInt64, sent: Int, bodyCount: Int, into wakeups: inout Wakeups) -> SendStep {
        guard var call = calls[id] else {
            return .finished(.failure(GRPCCallError(code: .internal, message: "call \(id) vanished")))
        }
        if let outcome = call.outcome { return .finished(outcome) }
        var openStream = false
        if call.streamID == 0 {
            switch phase {
            case .closed(let error):
                let failure = retryUnsentAfterClose ? error.retryable() : error
                return .finished(finish(id, .failure(failure), reset: false, into: &wakeups))
            case .draining:
                return .finished(finish(id, .failure(GRPCCallError(
                    code: .unavailable, message: "the connection is closing", transparentRetry: true)), reset: false,
                    into: &wakeups))
            case .connecting:
                if !slotQueue.contains(id) { slotQueue.append(id) }
                return .wait
            case .ready:
                if !call.slotReserved {
                    guard slotQueue.isEmpty, activeStreams < peer.maxConcurrentStreams else {
                        if !slotQueue.contains(id) { slotQueue.append(id) }
                        return .wait
                    }
                    activeStreams += 1
                }
            }
            call.slotReserved = false
            call.streamID = nextStreamID
            call.sendWindow = peer.initialWindowSize
            streams[nextStreamID] = id
            nextStreamID += 2
            if nextStreamID > 0x7FFF_FFFF {
                // Stream ids are used up: let this connection drain (calls waiting for a slot retry elsewhere);
                // the client opens a new one.
                drain(into: &wakeups)
            }
            openStream = true
        }
        let remaining = bodyCount - sent
        let allowed = max(0, min(remaining, call.sendWindow, connectionSendWindow))
        call.sendWindow -= allowed
        connectionSendWindow -= allowed
        if allowed < remaining, !windowQueue.contains(id) { windowQueue.append(id) }
        if allowed == remaining { call.requestSent = true }
        calls[id] = call
        if !openStream && allowed == 0 { return .wait }
        return .send(stream: call.streamID, headers: openStream, range: sent..<sent + allowed,
                     last: allowed == remaining, maxFrameSize: peer.maxFrameSize)
    }

    /// Parks call `id` until signalled: returns false (and keeps `continuation`) when it must wait, true when a
    /// signal or the outcome is already there (resume at once).
    mutating func park(_ id: UInt64, _ continuation: UnsafeContinuation<Void, Never>) -> Bool {
        guard var call = calls[id], call.outcome == nil, !call.signalled else {
            calls[id]?.signalled = false
            return true
        }
        call.waiter = .signal(continuation)
        calls[id] = call
        return false
    }

    /// The outcome of call `id` if it is known (and the call is forgotten); otherwise keeps `continuation` to
    /// resume with it.
    mutating func awaitOutcome(
        _ id: UInt64, _ continuation: UnsafeContinuation<Result<[UInt8], GRPCCallError>, Never>
    ) -> Result<[UInt8], GRPCCallError>? {
        guard let call = calls[id] else {
            return .failure(GRPCCallError(code: .internal, message: "call \(id) vanished"))
        }
        if let outcome = call.outcome {
            calls[id] = nil
            return outcome
        }
        calls[id]?.waiter = .response(continuation)
        return nil
    }

    /// Forgets call `id` once its caller has its outcome.
    mutating func forget(_ id: UInt64) { calls[id] = nil }

    // MARK: Ending calls

    /// Ends call `id` with `outcome` unless it has ended already; returns the outcome in force. `reset`: the
    /// stream, if open, must be reset (we abandon it). Waiters to resume go to `wakeups`.
    @discardableResult
    mutating func finish(
        _ id: UInt64, _ outcome: Result<[UInt8], GRPCCallError>, reset: Bool, into wakeups: inout Wakeups
    ) -> Result<[UInt8], GRPCCallError> {
        guard var call = calls[id] else { return outcome }
        if let existing = call.outcome { return existing }
        call.outcome = outcome
        var freed = false
        if call.streamID != 0, streams.removeValue(forKey: call.streamID) != nil {
            freed = true
            // Also reset a stream the server ended while our request was still going out: our half is open.
            if reset || !call.requestSent { wakeups.resets.append(call.streamID) }
        } else if call.slotReserved {
            call.slotReserved = false
            freed = true
        }
        slotQueue.removeAll { $0 == id }
        windowQueue.removeAll { $0 == id }
        let waiter = call.waiter
        call.waiter = nil
        switch waiter {
        case .response(let continuation):
            calls[id] = nil
            wakeups.responses.append((continuation, outcome))
        case .signal(let continuation):
            calls[id] = call
            wakeups.signals.append(continuation)
        case nil:
            calls[id] = call
        }
        if freed {
            activeStreams -= 1
            grantSlots(into: &wakeups)
        }
        return outcome
    }

    /// Gives free stream slots to waiting calls, in order.
    private mutating func grantSlots(into wakeups: inout Wakeups) {
        guard phase == .ready else { return }
        while activeStreams < peer.maxConcurrentStreams, !slotQueue.isEmpty {
            let id = slotQueue.removeFirst()
            guard calls[id]?.outcome == nil else { continue }
            activeStreams += 1
            calls[id]?.slotReserved = true
            signal(id, into: &wakeups)
        }
    }

    private mutating func signal(_ id: UInt64, into wakeups: inout Wakeups) {
        guard var call = calls[id] else { return }
        if case .signal(let continuation) = call.waiter {
            call.waiter = nil
            wakeups.signals.append(continuation)
        } else {
            call.signalled = true
        }
        calls[id] = call
    }

    /// Ends every call that is past its deadline (resetting its stream) and plans the next look.
    mutating func expire(now: UInt64, into wakeups: inout Wakeups) {
        guard now >= plannedWake else { return }
        var next = UInt64.max
        for (id, call) in calls where call.outcome == nil {
            if call.deadline <= now {
                finish(id, .failure(GRPCCallError(code: .deadlineExceeded, message: "the deadline passed before the call finished")),
                       reset: true, into: &wakeups)
            } else {
                next = min(next, call.deadline)
            }
        }
        plannedWake = next
    }

    /// Ends every call: the connection is gone. With `retryUnsent`, calls that never sent a request may be
    /// retried on a new connection (not after a failed connect: the next connection would fail the same way).
    mutating func close(with error: GRPCCallError, retryUnsent: Bool, into wakeups: inout Wakeups) {
        if case .closed = phase { return }
        phase = .closed(error)
        retryUnsentAfterClose = retryUnsent
        for (id, call) in calls where call.outcome == nil {
            let failure = call.streamID == 0 && retryUnsent ? error.retryable() : error
            finish(id, .failure(failure), reset: false, into: &wakeups)
        }
    }

    // MARK: Reader

    /// The connection is established: streams may open.
    mutating func becomeReady(into wakeups: inout Wakeups) {
        guard phase == .connecting else { return }
        phase = .ready
        grantSlots(into: &wakeups)
    }

    /// No new streams (after `close()` or GOAWAY). Calls waiting for a slot are told to retry elsewhere.
    mutating func drain(into wakeups: inout Wakeups) {
        guard acceptsCalls else { return }
        phase = .draining
        for id in slotQueue { signal(id, into: &wakeups) }
        slotQueue.removeAll()
    }

    /// GOAWAY: streams above `lastStream` were not processed and fail so they can be sent again elsewhere.
    mutating func goAway(lastStream: UInt32, error: HTTP2ErrorCode, into wakeups: inout Wakeups) {
        drain(into: &wakeups)
        for (stream, id) in streams where stream > lastStream {
            finish(id, .failure(GRPCCallError(
                code: .unavailable, message: "the server is going away (GOAWAY \(error)) and did not process the call",
                transparentRetry: true)), reset: false, into: &wakeups)
        }
    }

    /// The peer's SETTINGS: new limits, window changes for open streams, and maybe more slots.
    mutating func applySettings(_ parameters: [HTTP2Setting], into wakeups: inout Wakeups)
        throws(HTTP2ConnectionError)
    {
        let delta = try peer.apply(parameters)
        if delta != 0 {
            for stream in streams.values { calls[stream]?.sendWindow += delta }
            if delta > 0 { signalWindowWaiters(into: &wakeups) }
        }
        grantSlots(into: &wakeups)
    }

    /// WINDOW_UPDATE on the connection (stream 0) or a stream.
    mutating func windowUpdate(stream: UInt32, increment: UInt32, into wakeups: inout Wakeups)
        throws(HTTP2ConnectionError)
    {
        if stream == 0 {
            guard increment > 0 else {
                throw HTTP2ConnectionError(code: .protocolError, reason: "WINDOW_UPDATE of 0 on the connection")
            }
            connectionSendWindow += Int(increment)
            guard connectionSendWindow <= Int(HTTP2Limits.maxWindowSize) else {
                throw HTTP2ConnectionError(code: .flowControlError, reason: "connection window above 2^31-1")
            }
        } else {
            guard let id = streams[stream] else { return }
            calls[id]?.sendWindow += Int(increment)
        }
        signalWindowWaiters(into: &wakeups)
    }

    private mutating func signalWindowWaiters(into wakeups: inout Wakeups) {
        for id in windowQueue { signal(id, into: &wakeups) }
        windowQueue.removeAll()
    }

    /// A complete header block on `stream`.
    mutating func headers(stream: UInt32, fields: [(name: String, value: String)], endStream: Bool,
                          into wakeups: inout Wakeups) {
        guard let id = streams[stream], let step = calls[id]?.response.headers(fields, endStream: endStream) else {
            return
        }
        apply(step, to: id, into: &wakeups)
    }

    /// DATA on `stream` (unknown streams are ignored; the caller has counted the bytes against the window).
    mutating func data(stream: UInt32, payload: [UInt8], endStream: Bool, into wakeups: inout Wakeups) {
        // Mutated in place through the dictionary: a copy of the record would copy the message so far.
        guard let id = streams[stream], let step = calls[id]?.response.data(payload, endStream: endStream) else {
            return
        }
        apply(step, to: id, into: &wakeups)
    }

    /// RST_STREAM from the peer.
    mutating func reset(stream: UInt32, error: HTTP2ErrorCode, into wakeups: inout Wakeups) {
        guard let id = streams[stream] else { return }
        finish(id, .failure(GRPCCallError(
            code: GRPCStatusCode(resetBy: error), message: "the server reset the stream (\(error))",
            transparentRetry: error == .refusedStream)), reset: false, into: &wakeups)
    }

    private mutating func apply(_ step: GRPCResponseAssembler.Step, to id: UInt64,
                                into wakeups: inout Wakeups) {
        if case .finished(let outcome, let reset) = step {
            finish(id, outcome, reset: reset, into: &wakeups)
        }
    }
}
