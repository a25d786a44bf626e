#if canImport(Glibc)
import Glibc
#endif

/// A pthread-mutex-protected value shared between a connection thread and Swift tasks.
///
/// pthread rather than `Synchronization.Mutex` because ThreadSanitizer on Linux models pthread mutexes and reports
/// false races on `Mutex` (see the shared Swift notes).
final class StreamLock<Value>: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    private var value: Value

    init(_ value: Value) {
        self.value = value
        pthread_mutex_init(&mutex, nil)
    }

    deinit { pthread_mutex_destroy(&mutex) }

    /// Runs `body` with exclusive access. Never resume continuations or call out while holding it.
    func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return try body(&value)
    }
}
