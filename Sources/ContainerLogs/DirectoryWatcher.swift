import Dispatch
import Glibc
import Synchronization

/// Wakes a follower when anything happens in a log directory: inotify on the directory (writes to any file in it,
/// creations, renames, deletions), delivered through a Dispatch read source, so no thread blocks and no polling
/// delay applies. One watch on the directory covers the live file, its rotated predecessor still being written
/// and the new file created at the same path after rotation.
///
/// Waiters compare an event counter: read `eventCount` before reading the file, then `wait(after:)` returns at
/// once if an event arrived in between, so no wake-up is lost.
final class DirectoryWatcher: Sendable {
    /// Why `wait` returned.
    enum Wake: Sendable, Equatable {
        case event, timeout, cancelled, closed
    }

    /// Taken out (and cancelled) by `close()`; a Mutex because Dispatch sources are not marked Sendable.
    private let source: Mutex<(any DispatchSourceRead)?>
    private let state: WatchState

    /// Watches `directory`. Throws when inotify is unavailable or the directory cannot be watched.
    init(directory: String) throws(ContainerLogError) {
        let fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard fd >= 0 else { throw .io(operation: "inotify_init1", path: directory, errno: errno) }
        let mask = UInt32(IN_MODIFY | IN_CREATE | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE | IN_DELETE_SELF
                          | IN_MOVE_SELF | IN_CLOSE_WRITE)
        guard inotify_add_watch(fd, directory, mask) >= 0 else {
            let code = errno
            Glibc.close(fd)
            throw .io(operation: "inotify_add_watch", path: directory, errno: code)
        }
        let state = WatchState()
        let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: DispatchQueue(label: "swiftlet.log-watch"))
        source.setEventHandler {
            // Drain everything: the events' details do not matter, only that something changed. A queue overflow
            // (IN_Q_OVERFLOW) is also just "something changed".
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if n <= 0 { break }
            }
            state.signal()
        }
        source.setCancelHandler {
            // Dispatch requires the descriptor to stay open until the source is cancelled.
            Glibc.close(fd)
        }
        source.resume()
        self.source = Mutex(source)
        self.state = state
    }

    deinit { close() }

    /// Number of event batches seen so far.
    var eventCount: UInt64 { state.count }

    /// Suspends until an event newer than `seen` arrives, `timeout` passes, the task is cancelled or the watcher is
    /// closed.
    func wait(after seen: UInt64, timeout: Duration) async -> Wake {
        await state.wait(after: seen, timeout: timeout)
    }

    /// Stops watching; the inotify descriptor is closed by the Dispatch cancel handler, and waiters return.
    func close() {
        _ = state.close()
        let taken = source.withLock { source -> (any DispatchSourceRead)? in
            defer { source = nil }
            return source
        }
        taken?.cancel()
    }
}

/// The watcher's counter and its single waiter, under one lock.
private final class WatchState: Sendable {
    private struct Inner {
        var count: UInt64 = 0
        var closed = false
        var nextWaiterID: UInt64 = 0
        var waiter: (id: UInt64, continuation: CheckedContinuation<DirectoryWatcher.Wake, Never>)?
    }

    private let inner = Mutex(Inner())

    var count: UInt64 { inner.withLock { $0.count } }

    func signal() {
        let waiter = inner.withLock { state -> CheckedContinuation<DirectoryWatcher.Wake, Never>? in
            state.count &+= 1
            defer { state.waiter = nil }
            return state.waiter?.continuation
        }
        waiter?.resume(returning: .event)
    }

    /// Marks closed; true the first time.
    func close() -> Bool {
        let (first, waiter) = inner.withLock { state -> (Bool, CheckedContinuation<DirectoryWatcher.Wake, Never>?) in
            let first = !state.closed
            state.closed = true
            defer { state.waiter = nil }
            return (first, state.waiter?.continuation)
        }
        waiter?.resume(returning: .closed)
        return first
    }

    func wait(after seen: UInt64, timeout: Duration) async -> DirectoryWatcher.Wake {
        let id = inner.withLock { state -> UInt64 in
            state.nextWaiterID &+= 1
            return state.nextWaiterID
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<DirectoryWatcher.Wake, Never>) in
                var displaced: CheckedContinuation<DirectoryWatcher.Wake, Never>?
                let immediate: DirectoryWatcher.Wake? = inner.withLock { state in
                    if state.closed { return .closed }
                    if state.count != seen { return .event }
                    // Checked under the lock: cancellation sets the flag before running the handler, so either we
                    // see it here or the handler sees the stored waiter.
                    if Task.isCancelled { return .cancelled }
                    // One waiter at a time by design (one follower per watcher); a second one replaces the first
                    // rather than leaving it suspended forever.
                    displaced = state.waiter?.continuation
                    state.waiter = (id, continuation)
                    return nil
                }
                displaced?.resume(returning: .event)
                if let immediate {
                    continuation.resume(returning: immediate)
                    return
                }
                let nanoseconds = max(0, timeout.components.seconds) * 1_000_000_000
                    + max(0, timeout.components.attoseconds / 1_000_000_000)
                DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(Int(nanoseconds))) { [self] in
                    self.resume(id: id, with: .timeout)
                }
            }
        } onCancel: {
            self.resume(id: id, with: .cancelled)
        }
    }

    private func resume(id: UInt64, with wake: DirectoryWatcher.Wake) {
        let waiter = inner.withLock { state -> CheckedContinuation<DirectoryWatcher.Wake, Never>? in
            guard let waiter = state.waiter, waiter.id == id else { return nil }
            state.waiter = nil
            return waiter.continuation
        }
        waiter?.resume(returning: wake)
    }
}
