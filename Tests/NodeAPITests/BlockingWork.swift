import Dispatch

/// Runs blocking work (a child process, a pipe read) on a Dispatch thread instead of Swift's cooperative pool.
///
/// The pool has one thread per core (two here). A test that blocks it waiting for curl, while curl waits for a
/// server whose handlers need that same pool, would stall until curl's own timeout.
func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async {
            continuation.resume(with: Result { try work() })
        }
    }
}
