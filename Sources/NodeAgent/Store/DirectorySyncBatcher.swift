#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Group commit for directory fsyncs.
///
/// A rename is durable only once its directory is fsynced. Instead of one directory fsync per write, callers take
/// a ticket after their rename and wait for a sync that *started* after they took it. While one sync runs, new
/// tickets pile up and the next single sync covers them all, so N concurrent writers pay about two directory
/// fsyncs instead of N, and nobody is answered before the sync that covers their rename has completed.
final class DirectorySyncBatcher: Sendable {
    private struct State {
        var issued: UInt64 = 0
        var running = false
        var waiters: [(ticket: UInt64, continuation: CheckedContinuation<Void, Error>)] = []
        /// How many fsyncs actually ran, for tests and measurements.
        var syncCount: UInt64 = 0
    }

    private let state = StoreLock(State())
    private let directoryFD: Int32
    private let directoryPath: String
    private let pool: BlockingIOPool

    /// `directoryFD` stays owned by the caller and must outlive the batcher.
    init(directoryFD: Int32, directoryPath: String, pool: BlockingIOPool) {
        self.directoryFD = directoryFD
        self.directoryPath = directoryPath
        self.pool = pool
    }

    /// Directory fsyncs performed so far.
    var syncCount: UInt64 { state.withLock { $0.syncCount } }

    /// Returns once a directory fsync that began after this call has completed.
    func sync() async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
            let mustStart = state.withLock { state -> Bool in
                state.issued += 1
                state.waiters.append((state.issued, continuation))
                if state.running { return false }
                state.running = true
                return true
            }
            if mustStart {
                pool.submit { [self] in runSyncs() }
            }
        }
    }

    /// Runs on an I/O thread until no ticket is left unsynced.
    private func runSyncs() {
        while true {
            // Every ticket up to `target` was taken after its rename, so this one fsync covers all of them.
            let target = state.withLock { $0.issued }
            var failure: StoreError?
            if fsync(directoryFD) != 0 {
                failure = .io("fsync of directory \(directoryPath) failed: \(String(cString: strerror(errno)))")
            }
            let (ready, more) = state.withLock { state -> ([CheckedContinuation<Void, Error>], Bool) in
                state.syncCount += 1
                var ready: [CheckedContinuation<Void, Error>] = []
                state.waiters.removeAll { waiter in
                    guard waiter.ticket <= target else { return false }
                    ready.append(waiter.continuation)
                    return true
                }
                let more = state.issued > target
                if !more { state.running = false }
                return (ready, more)
            }
            for continuation in ready {
                if let failure { continuation.resume(throwing: failure) } else { continuation.resume() }
            }
            if !more { return }
        }
    }
}
