import CSystemSupport
import Glibc

/// Dedicated OS threads for work that blocks (an event loop, `waitpid`, blocking file I/O), where a Swift
/// concurrency thread must not be held.
///
/// Why pthreads directly: Foundation's `Thread` loads all of Foundation and ICU (about 9 MiB resident). It also
/// never passed `Thread.name` to the kernel on Linux, so its threads showed in `top -H` and /proc under the
/// process's name; these get the name they are given.
public enum SystemThread {
    /// The longest name the kernel keeps, in bytes (16 with the terminating NUL).
    public static let maximumNameBytes = 15

    /// Starts `body` on a new detached thread that names itself `name` first.
    ///
    /// The thread ends when `body` returns; nothing joins it, so `body` reports its own outcome.
    /// - Parameters:
    ///   - name: the thread's name as the kernel shows it; cut to `maximumNameBytes` bytes on a character boundary
    ///     (the kernel would cut it mid-character).
    ///   - stackSize: bytes of stack; nil keeps the default, `ulimit -s` (usually 8 MiB), which is also what
    ///     Foundation's `Thread` used. Swift code needs far more than pthreads' 16 KiB minimum: running out of
    ///     stack is a crash, so a smaller size is only for bodies whose depth is known.
    ///   - body: the thread's work.
    /// - Throws: `SystemThreadError` when the thread cannot be created: `EAGAIN` when the process or system has too
    ///   many, `EINVAL` for a stack size below `PTHREAD_STACK_MIN`.
    public static func start(
        name: String, stackSize: Int? = nil, _ body: @escaping @Sendable () -> Void
    ) throws(SystemThreadError) {
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        if let stackSize {
            let rc = pthread_attr_setstacksize(&attributes, stackSize)
            guard rc == 0 else { throw SystemThreadError(name: name, code: rc) }
        }
        let start = Unmanaged.passRetained(ThreadStart(name: kernelName(name), body: body)).toOpaque()
        var thread = pthread_t()
        let rc = pthread_create(&thread, &attributes, { context in
            guard let context else { return nil }
            let start = Unmanaged<ThreadStart>.fromOpaque(context).takeRetainedValue()
            _ = swiftlet_set_thread_name(start.name)
            start.body()
            return nil
        }, start)
        guard rc == 0 else {
            Unmanaged<ThreadStart>.fromOpaque(start).release()
            throw SystemThreadError(name: name, code: rc)
        }
    }

    /// `name` cut to at most `maximumNameBytes` UTF-8 bytes without splitting a character.
    static func kernelName(_ name: String) -> String {
        var result = ""
        var bytes = 0
        for character in name {
            bytes += character.utf8.count
            if bytes > maximumNameBytes { break }
            result.append(character)
        }
        return result
    }

    /// What the new thread needs, handed to it through pthread_create's single pointer.
    private final class ThreadStart {
        let name: String
        let body: @Sendable () -> Void

        init(name: String, body: @escaping @Sendable () -> Void) {
            self.name = name
            self.body = body
        }
    }
}

/// A thread could not be started.
public struct SystemThreadError: Error, Sendable, CustomStringConvertible {
    /// The name the thread was to have.
    public let name: String
    /// The error number pthreads returned (`EAGAIN` when there are too many threads).
    public let code: Int32

    /// `cannot start thread store-io-0: Resource temporarily unavailable`.
    public var description: String {
        let reason = strerror(code).map { String(cString: $0) } ?? "error \(code)"
        return "cannot start thread \(name): \(reason)"
    }
}
