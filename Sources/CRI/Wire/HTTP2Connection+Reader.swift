import Glibc

/// The reader thread: connect, preface, then read and dispatch frames until the connection ends.
extension HTTP2Connection {
    /// What only the reader thread touches: frame and header decoding, a header block being assembled, and the
    /// accounting of the connection's receive window.
    struct Inbound {
        var frames = HTTP2FrameDecoder()
        var headers = HeaderBlockDecoder()
        /// A header block waiting for its CONTINUATION frames.
        var pendingBlock: (stream: UInt32, endStream: Bool, bytes: [UInt8])?
        /// Bytes of DATA received and not yet returned to the peer with a WINDOW_UPDATE.
        var unacknowledged = 0
        /// What the peer may still send on the connection.
        var receiveWindow: Int
        /// Largest header block accepted; a bigger one is a hostile or broken peer.
        static let maxHeaderBlock = 1 << 20
    }

    /// What handling one read's frames produced: control frames to send (ACKs, window updates, resets) and
    /// callers to resume.
    ///
    /// Why batch: containerd sends a PING with almost every response. Sending its ACK (and any other control
    /// frame) in one write per read, and resuming callers only after that write, saves a syscall per frame and
    /// keeps the resumed caller from contending for the write lock with the reader's ACK.
    struct Outbox {
        var frames = HTTP2FrameEncoder()
        var wakeups = CallTable.Wakeups()
        var pings = 0
    }

    /// The reader thread's body.
    func runReader() {
        let error = connectAndRead()
        // Stop writers first (the descriptor goes to -1 under their lock), then fail what is left. Control frames
        // still queued (a GOAWAY that met a busy write lock) go out first, unless the connection failed.
        writer.withLock { fd in
            let queued = control.withLock { queue in
                defer { queue = ControlQueue() }
                return queue
            }
            if fd >= 0 {
                if !queued.bytes.isEmpty, table.withLock({ $0.acceptsFrames }),
                   WireSocket.send(fd, queued.bytes, deadline: MonotonicTime.deadline(after: Self.controlSendTimeout))
                    == nil,
                   queued.pings > 0
                {
                    tracker.pingAnswered(queued.pings)
                }
                Glibc.close(fd)
                fd = -1
            }
        }
        if established.load(ordering: .relaxed) { tracker.connectionClosed() }
        fail(error.call, retryUnsent: error.retryUnsent)
        let waiters = lifecycle.withLock { state in
            state.finished = true
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Why the reader stopped.
    struct ReaderEnd: Error {
        var call: GRPCCallError
        var retryUnsent: Bool
    }

    private func connectAndRead() -> ReaderEnd {
        let fd: Int32
        do {
            let (socket, inProgress) = try WireSocket.startConnect(to: target)
            fd = socket
            writer.withLock { $0 = socket }
            if inProgress { try waitForConnect(fd) }
        } catch let end as ReaderEnd {
            return end
        } catch {
            return ReaderEnd(call: GRPCCallError(code: .unavailable, message: "\(target) is not reachable: \(error)"),
                             retryUnsent: false)
        }

        var inbound = Inbound(receiveWindow: configuration.connectionReceiveWindow)
        var preface = HTTP2FrameEncoder()
        preface.bytes = HTTP2Limits.clientPreface
        preface.append(.settings(ack: false, parameters: [
            HTTP2Setting(identifier: HTTP2Setting.enablePush, value: 0),
            HTTP2Setting(identifier: HTTP2Setting.initialWindowSize, value: UInt32(configuration.streamReceiveWindow)),
        ]))
        preface.append(.windowUpdate(
            stream: 0, increment: UInt32(configuration.connectionReceiveWindow - HTTP2Limits.defaultWindowSize)))
        // Written under the write lock, waiting for it: queued with the control frames, the preface could stay
        // behind a caller that holds the lock while the connection is still connecting, and the next caller would
        // then write its HEADERS first. Callers hold the lock only briefly until `becomeReady`.
        let prefaceFailure = writer.withLock { fd in
            WireSocket.send(fd, preface.bytes, deadline: MonotonicTime.deadline(after: Self.controlSendTimeout))
        }
        if let prefaceFailure {
            return ReaderEnd(call: GRPCCallError(code: .unavailable, message: "connection to \(target) failed: \(prefaceFailure)"),
                             retryUnsent: true)
        }
        let ready = table.withLock { table in
            var wakeups = CallTable.Wakeups()
            table.becomeReady(into: &wakeups)
            return wakeups
        }
        ready.resume()

        let capacity = 64 * 1024
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 8)
        defer { buffer.deallocate() }
        // Allocated once: the loop runs once per read, and an array literal per turn would allocate each time.
        let fds = UnsafeMutableBufferPointer<pollfd>.allocate(capacity: 2)
        defer { fds.deallocate() }
        while true {
            let (wake, stop, phase) = table.withLock { table in (table.plannedWake, table.closeDue, table.phase) }
            if case .closed(let error) = phase { return ReaderEnd(call: error, retryUnsent: true) }
            if stop {
                var goAway = HTTP2FrameEncoder()
                goAway.append(.goAway(lastStream: 0, error: .noError, debug: []))
                sendControl(goAway.bytes)
                return ReaderEnd(call: GRPCCallError(code: .unavailable, message: "the connection to \(target) closed"),
                                 retryUnsent: true)
            }
            fds[0] = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            fds[1] = pollfd(fd: eventFD, events: Int16(POLLIN), revents: 0)
            _ = poll(fds.baseAddress, 2, MonotonicTime.pollTimeout(until: wake, now: MonotonicTime.now()))
            if fds[1].revents != 0 { WireSocket.drain(eventFD) }
            if fds[0].revents != 0 {
                if let end = readAvailable(fd, buffer, &inbound) { return end }
            }
            let expired = table.withLock { table in
                var wakeups = CallTable.Wakeups()
                table.expire(now: MonotonicTime.now(), into: &wakeups)
                return wakeups
            }
            deliver(expired)
        }
    }

    /// Waits for a TCP connect, failing calls whose deadlines pass meanwhile; gives up at the connect timeout
    /// or when no call is left waiting.
    private func waitForConnect(_ fd: Int32) throws(ReaderEnd) {
        let limit = MonotonicTime.deadline(after: configuration.connectTimeout)
        while true {
            let wake = min(limit, table.withLock { $0.plannedWake })
            var fds = [pollfd(fd: fd, events: Int16(POLLOUT), revents: 0),
                       pollfd(fd: eventFD, events: Int16(POLLIN), revents: 0)]
            _ = poll(&fds, 2, MonotonicTime.pollTimeout(until: wake, now: MonotonicTime.now()))
            if fds[1].revents != 0 { WireSocket.drain(eventFD) }
            if fds[0].revents != 0 {
                if let failure = WireSocket.connectResult(fd) {
                    throw ReaderEnd(call: GRPCCallError(code: .unavailable, message: "\(target) is not reachable: \(failure)"),
                                    retryUnsent: false)
                }
                return
            }
            let now = MonotonicTime.now()
            let (expired, idle, phase) = table.withLock { table in
                var wakeups = CallTable.Wakeups()
                table.expire(now: now, into: &wakeups)
                return (wakeups, table.isIdle, table.phase)
            }
            deliver(expired)
            if case .closed(let error) = phase { throw ReaderEnd(call: error, retryUnsent: false) }
            if idle || now >= limit {
                throw ReaderEnd(call: GRPCCallError(
                    code: .unavailable, message: "\(target) is not reachable: connect timed out"), retryUnsent: false)
            }
        }
    }

    /// Reads until the socket has nothing more, handling every complete frame. Returns why the connection ended,
    /// or nil to keep going.
    private func readAvailable(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer, _ inbound: inout Inbound) -> ReaderEnd? {
        while true {
            let count: Int
            do {
                guard let read = try WireSocket.read(fd, into: buffer) else { return nil }
                count = read
            } catch {
                return ReaderEnd(call: GRPCCallError(code: .unavailable, message: "connection to \(target) failed: \(error)"),
                                 retryUnsent: true)
            }
            if count == 0 {
                return ReaderEnd(call: GRPCCallError(code: .unavailable, message: "\(target) closed the connection"),
                                 retryUnsent: true)
            }
            inbound.frames.append(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            var outbox = Outbox()
            do {
                while let frame = try inbound.frames.next() {
                    try handle(frame, &inbound, &outbox)
                }
            } catch {
                outbox.frames.append(.goAway(lastStream: 0, error: error.code, debug: Array(error.reason.utf8.prefix(256))))
                flush(outbox)
                return ReaderEnd(call: GRPCCallError(code: .unavailable, message: "protocol error from \(target): \(error)"),
                                 retryUnsent: true)
            }
            flush(outbox)
            if count < buffer.count { return nil }
        }
    }

    /// One frame from the peer.
    private func handle(_ frame: HTTP2Frame, _ inbound: inout Inbound, _ outbox: inout Outbox)
        throws(HTTP2ConnectionError)
    {
        if let pending = inbound.pendingBlock {
            guard case .continuation(let stream, let block, let endHeaders) = frame, stream == pending.stream else {
                throw HTTP2ConnectionError(code: .protocolError, reason: "expected CONTINUATION of stream \(pending.stream)")
            }
            var bytes = pending.bytes
            bytes.append(contentsOf: block)
            guard bytes.count <= Inbound.maxHeaderBlock else {
                throw HTTP2ConnectionError(code: .protocolError, reason: "header block larger than \(Inbound.maxHeaderBlock) bytes")
            }
            if endHeaders {
                inbound.pendingBlock = nil
                try headerBlock(stream: stream, bytes: bytes, endStream: pending.endStream, &inbound, &outbox)
            } else {
                inbound.pendingBlock = (stream, pending.endStream, bytes)
            }
            return
        }
        switch frame {
        case .headers(let stream, let block, let endStream, let endHeaders):
            if endHeaders {
                inbound.pendingBlock = nil
                try headerBlock(stream: stream, bytes: block, endStream: endStream, &inbound, &outbox)
            } else {
                inbound.pendingBlock = (stream, endStream, block)
            }
        case .continuation(let stream, _, _):
            throw HTTP2ConnectionError(code: .protocolError, reason: "CONTINUATION of stream \(stream) without HEADERS")
        case .data(let stream, let payload, let endStream, let paddedLength):
            try consumeWindow(paddedLength, &inbound, &outbox)
            update(&outbox) { $0.data(stream: stream, payload: payload, endStream: endStream, into: &$1) }
        case .rstStream(let stream, let error):
            update(&outbox) { $0.reset(stream: stream, error: error, into: &$1) }
        case .settings(let ack, let parameters):
            guard !ack else { return }
            // The peer's first SETTINGS is where it speaks HTTP/2: only then does the connection count as open
            // (a connect that a dying runtime's backlog accepted and then dropped does not).
            if !established.load(ordering: .relaxed) {
                established.store(true, ordering: .relaxed)
                tracker.connectionOpened()
            }
            try updateThrowing(&outbox) { table, wakeups throws(HTTP2ConnectionError) in
                try table.applySettings(parameters, into: &wakeups)
            }
            outbox.frames.append(.settings(ack: true, parameters: []))
        case .ping(let ack, let data):
            guard !ack else { return }
            outbox.frames.append(.ping(ack: true, data: data))
            outbox.pings += 1
        case .windowUpdate(let stream, let increment):
            try updateThrowing(&outbox) { table, wakeups throws(HTTP2ConnectionError) in
                try table.windowUpdate(stream: stream, increment: increment, into: &wakeups)
            }
        case .goAway(let lastStream, let error, _):
            update(&outbox) { $0.goAway(lastStream: lastStream, error: error, into: &$1) }
        case .pushPromise:
            throw HTTP2ConnectionError(code: .protocolError, reason: "PUSH_PROMISE although ENABLE_PUSH is 0")
        case .priority, .unknown:
            break
        }
    }

    /// A complete header block: always decoded (the HPACK state must follow every block), then dispatched.
    private func headerBlock(
        stream: UInt32, bytes: [UInt8], endStream: Bool, _ inbound: inout Inbound, _ outbox: inout Outbox
    ) throws(HTTP2ConnectionError) {
        let fields = try inbound.headers.decode(bytes)
        guard stream % 2 == 1 else {
            throw HTTP2ConnectionError(code: .protocolError, reason: "HEADERS on server-initiated stream \(stream)")
        }
        update(&outbox) { $0.headers(stream: stream, fields: fields, endStream: endStream, into: &$1) }
    }

    /// Counts DATA against the connection's receive window and gives it back once half is used.
    private func consumeWindow(_ length: Int, _ inbound: inout Inbound, _ outbox: inout Outbox)
        throws(HTTP2ConnectionError)
    {
        inbound.receiveWindow -= length
        guard inbound.receiveWindow >= 0 else {
            throw HTTP2ConnectionError(code: .flowControlError, reason: "DATA beyond the connection window")
        }
        inbound.unacknowledged += length
        if inbound.unacknowledged >= configuration.connectionReceiveWindow / 2 {
            outbox.frames.append(.windowUpdate(stream: 0, increment: UInt32(inbound.unacknowledged)))
            inbound.receiveWindow += inbound.unacknowledged
            inbound.unacknowledged = 0
        }
    }

    /// Changes the call table under its lock; what that wakes goes to `outbox`.
    private func update(_ outbox: inout Outbox, _ body: (inout CallTable, inout CallTable.Wakeups) -> Void) {
        let wakeups = table.withLock { table in
            var wakeups = CallTable.Wakeups()
            body(&table, &wakeups)
            return wakeups
        }
        outbox.wakeups.append(wakeups)
    }

    /// `update` for the changes that can find a connection error.
    private func updateThrowing(
        _ outbox: inout Outbox, _ body: (inout CallTable, inout CallTable.Wakeups) throws(HTTP2ConnectionError) -> Void
    ) throws(HTTP2ConnectionError) {
        let wakeups = try table.withLock { (table) throws(HTTP2ConnectionError) -> CallTable.Wakeups in
            var wakeups = CallTable.Wakeups()
            try body(&table, &wakeups)
            return wakeups
        }
        outbox.wakeups.append(wakeups)
    }

    /// Sends the batch's control frames (and its resets) in one write, then resumes its callers.
    private func flush(_ outbox: Outbox) {
        var frames = outbox.frames
        for stream in outbox.wakeups.resets { frames.append(.rstStream(stream: stream, error: .cancel)) }
        if !frames.bytes.isEmpty { sendControl(frames.bytes, pings: outbox.pings) }
        outbox.wakeups.resume()
    }
}
