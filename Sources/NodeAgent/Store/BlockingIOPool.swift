import SystemSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A few dedicated threads for blocking disk calls (write, fsync, rename).
///
/// fsync can block for milliseconds. Running it on Swift's cooperative pool (two threads on these machines) would
/// stall every task in the process, so blocking calls run here and callers await a continuation. Several threads
/// let independent file fsyncs overlap, which is what lets the filesystem journal batch them.
final class BlockingIOPool: Sendable {
    /// The job queue shared with the worker threads. The threads hold the queue, not the pool, so dropping the
    /// pool lets the threads finish the queued jobs and exit.
    private final class JobQueue: @unchecked Sendable {
        private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
        private var jobs: [@Sendable () -> Void] = []
        private var head = 0
        private var stopped = false

        init() {
            mutex.initialize(to: pthread_mutex_t())
            condition.initialize(to: pthread_cond_t())
            pthread_mutex_init(mutex, nil)
            pthread_cond_init(condition, nil)
        }

        deinit {
            pthread_cond_destroy(condition)
            pthread_mutex_destroy(mutex)
            condition.deallocate()
            mutex.deallocate()
        }

        func push(_ job: @escaping @Sendable () -> Void) {
            pthread_mutex_lock(mutex)
            jobs.append(job)
            pthread_cond_signal(condition)
            pthread_mutex_unlock(mutex)
        }

        /// The next job, or nil once stopped and drained.
        func pop() -> (@Sendable () -> Void)? {
            pthread_mutex_lock(mutex)
            defer { pthread_mutex_unlock(mutex) }
            while head == jobs.count && !stopped {
                pthread_cond_wait(condition, mutex)
            }
            guard head < jobs.count else { return nil }
            let job = jobs[head]
            head += 1
            if head == jobs.count {
                // Reset instead of shifting, so the array does not grow without bound.
                jobs.removeAll(keepingCapacity: true)
                head = 0
            }
            return job
        }

        func stop() {
            pthread_mutex_lock(mutex)
            stopped = true
            pthread_cond_broadcast(condition)
            pthread_mutex_unlock(mutex)
        }
    }

    private let queue = JobQueue()

    /// Starts `threadCount` worker threads named `name-0`, `name-1`, ….
    /// - Throws: `SystemThreadError` when a thread cannot be created; the threads already started then exit.
    init(threadCount: Int, name: String) throws(SystemThreadError) {
        let queue = self.queue
        for index in 0..<max(1, threadCount) {
            // Blocking syscalls need little stack.
            try SystemThread.start(name: "\(name)-\(index)", stackSize: 256 * 1024) {
                while let job = queue.pop() { job() }
            }
        }
    }

    deinit {
        queue.stop()
    }

    /// Queues `job` on a worker thread.
    func submit(_ job: @escaping @Sendable () -> Void) {
        queue.push(job)
    }

    /// Runs `work` on a worker thread and returns its result.
    func run<Result: Sendable>(_ work: @escaping @Sendable () throws -> Result) async throws -> Result {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Result, Error>) in
            queue.push {
                do {
                    continuation.resume(returning: try work())
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }
}
