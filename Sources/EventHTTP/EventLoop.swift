/// The libevent loop thread and the hand-off between it and Swift concurrency.
///
/// Why this hand-off is correct:
/// - libevent objects (event_base, listener, bufferevents, SSL objects, timers) are created, used and freed only on
///   the loop thread. libevent is built without `evthread_use_pthreads` locking here, so nothing else may touch
///   them; the only thread-safe entry point is `submit`.
/// - Loop → Swift: a request callback copies everything a handler needs into Sendable values (`HTTPRequest`) and
///   starts a `Task`. Nothing loop-owned escapes into that task except `Connection` references, which tasks never
///   dereference themselves: they only capture them in closures passed back through `submit`.
/// - Swift → loop: `submit` appends a closure to a pthread-mutex-protected queue. Only the append that turns the
///   queue from empty to non-empty writes to an eventfd (a syscall, thread safe). The loop registered that eventfd
///   as a persistent read event; its callback swaps the whole queue out under the lock and runs the closures on the
///   loop thread. Because the writer that sees "empty" always signals, and the loop empties the queue only after
///   reading the eventfd, no job can be left in the queue without a pending wake-up (the eventfd counter stays
///   readable until drained, so a signal sent while the loop is already draining triggers one more pass).
/// - The mutex gives the happens-before edge between the submitting thread and the loop thread for everything the
///   closure captured (TSan sees pthread mutexes; it does not see `Synchronization.Mutex` on Linux).
/// - After the loop stops, `submit` returns false and the caller resumes its continuation itself; jobs queued
///   before the stop are run one final time on the loop thread after every connection is closed, so they observe
///   closed connections and complete their continuations. No continuation is ever dropped.
/// Measured on this machine's class (shared notes): eventfd wake-ups cost the same as evthread+event_active.
import CLibevent
import CSystemSupport
import Glibc
import SystemSupport

final class EventLoop: @unchecked Sendable {
    /// Loop-thread-only after init (the event_base pointer itself is immutable).
    let base: OpaquePointer
    private let wakeFD: Int32
    private var wakeEvent: OpaquePointer?
    private let queue = Locked(QueueState())
    private let finished = Locked(false)

    struct QueueState {
        var jobs: [@Sendable () -> Void] = []
        var stopped = false
    }

    init() throws {
        guard let base = event_base_new() else { throw HTTPServerError.setup("event_base_new failed") }
        let fd = swiftlet_make_eventfd()
        guard fd >= 0 else {
            event_base_free(base)
            throw HTTPServerError.setup("eventfd failed: errno \(errno)")
        }
        self.base = base
        self.wakeFD = fd
        let arg = Unmanaged.passUnretained(self).toOpaque()
        wakeEvent = event_new(base, fd, Int16(EV_READ | EV_PERSIST), { _, _, arg in
            guard let arg else { return }
            Unmanaged<EventLoop>.fromOpaque(arg).takeUnretainedValue().drain()
        }, arg)
        if let wakeEvent { event_add(wakeEvent, nil) }
    }

    /// Runs the loop on a dedicated thread until `stop`; `onExit` runs on the loop thread after the loop ends.
    /// - Throws: `SystemThreadError` when the thread cannot be created; then nothing has run and the caller still
    ///   owns the base.
    func start(name: String, onExit: @escaping @Sendable () -> Void) throws(SystemThreadError) {
        try SystemThread.start(name: name, stackSize: 1 << 20) { [self] in
            event_base_loop(base, 0)
            onExit()
            // Final pass: jobs queued before the stop observe closed connections and resume their waiters.
            let remaining = queue.withLock { state -> [@Sendable () -> Void] in
                state.stopped = true
                defer { state.jobs.removeAll() }
                return state.jobs
            }
            for job in remaining { job() }
            if let wakeEvent { event_free(wakeEvent) }
            self.wakeEvent = nil
            event_base_free(base)
            close(wakeFD)
            finished.withLock { $0 = true }
        }
    }

    /// Queues a job for the loop thread. Returns false (job not queued) once the loop has stopped.
    @discardableResult
    func submit(_ job: @escaping @Sendable () -> Void) -> Bool {
        let (accepted, wake) = queue.withLock { state -> (Bool, Bool) in
            if state.stopped { return (false, false) }
            state.jobs.append(job)
            return (true, state.jobs.count == 1)
        }
        if wake { swiftlet_eventfd_signal(wakeFD) }
        return accepted
    }

    /// Loop thread: runs queued jobs.
    private func drain() {
        swiftlet_eventfd_drain(wakeFD)
        let jobs = queue.withLock { state -> [@Sendable () -> Void] in
            defer { state.jobs.removeAll(keepingCapacity: true) }
            return state.jobs
        }
        for job in jobs { job() }
    }

    /// Loop thread: ends event_base_loop after the current callback.
    func breakLoop() { event_base_loopbreak(base) }

    /// True once the loop thread has released everything.
    var isFinished: Bool { finished.withLock { $0 } }
}

/// Errors from starting the server.
public enum HTTPServerError: Error, Sendable, CustomStringConvertible {
    /// libevent/socket setup failed.
    case setup(String)
    /// The address could not be bound.
    case bind(String)
    /// Certificates, keys or the TLS context could not be loaded.
    case tls(String)
    /// start() was called twice, or after shutdown.
    case invalidState(String)

    /// Human-readable description.
    public var description: String {
        switch self {
        case .setup(let m): return "HTTP server setup failed: \(m)"
        case .bind(let m): return "HTTP server could not bind: \(m)"
        case .tls(let m): return "HTTP server TLS setup failed: \(m)"
        case .invalidState(let m): return "HTTP server: \(m)"
        }
    }
}
