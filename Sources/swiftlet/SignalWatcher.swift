import Dispatch
import Glibc

/// Turns SIGTERM and SIGINT into an awaitable event.
///
/// The default handlers would kill the process mid-write; Dispatch sources let shutdown run as ordinary async
/// code. SIGPIPE is ignored separately by the HTTP server.
final class SignalWatcher {
    private let stream: AsyncStream<Int32>
    private let sources: [any DispatchSourceSignal]

    init(signals: [Int32] = [SIGTERM, SIGINT]) {
        var continuation: AsyncStream<Int32>.Continuation?
        self.stream = AsyncStream { continuation = $0 }
        let queue = DispatchQueue(label: "swiftlet.signals")
        self.sources = signals.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { [continuation] in continuation?.yield(number) }
            source.resume()
            return source
        }
    }

    /// Waits for the next signal and returns its number.
    func next() async -> Int32? {
        var iterator = stream.makeAsyncIterator()
        return await iterator.next()
    }
}
