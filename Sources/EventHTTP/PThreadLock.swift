#if canImport(Glibc)
import Glibc
#endif

/// A mutex-protected value. Built on pthread_mutex because ThreadSanitizer on Linux does not model
/// `Synchronization.Mutex` and reports false races on it (measured, see shared notes); pthread mutexes it sees.
/// Public so that other modules sharing state between their own threads and Swift tasks (the stream bridge) use
/// the same lock rather than a copy of it.
public final class Locked<Value>: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    private var value: Value

    /// A lock around `value`.
    public init(_ value: Value) {
        self.value = value
        pthread_mutex_init(&mutex, nil)
    }

    deinit { pthread_mutex_destroy(&mutex) }

    /// Runs body with exclusive access. Never call back into code that takes the same lock, and never resume a
    /// continuation while holding it.
    public func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return try body(&value)
    }
}

extension String {
    /// Decodes a NUL-terminated C buffer filled by a C helper.
    init(cBuffer: [CChar]) {
        let bytes = cBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        self = String(decoding: bytes, as: UTF8.self)
    }
}
