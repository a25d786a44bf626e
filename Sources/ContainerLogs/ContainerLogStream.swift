/// The output of one log request: chunks of bytes, ready to send (`text/plain`), in log order.
///
/// Single-pass: iterate it once, from one task. Reading happens only when the consumer asks for the next chunk, so
/// memory stays bounded however fast the container writes. Cancelling the iterating task ends a waiting follow at
/// once (`next()` returns nil); ending the iteration early or dropping the stream releases the file descriptors
/// and the inotify watch, and `close()` releases them at a point of the consumer's choosing. To stop from another
/// task (a client disconnect), cancel the iterating task: the stream is not Sendable.
public final class ContainerLogStream: AsyncSequence {
    /// A chunk of output bytes.
    public typealias Element = [UInt8]
    /// I/O and decompression errors; CRI-format errors are skipped, not thrown.
    public typealias Failure = ContainerLogError

    private let pump: LogPump

    init(pump: LogPump) {
        self.pump = pump
    }

    /// Bytes read from disk so far (compressed bytes for `.gz` files): shows that `tailLines` reads a few blocks.
    public var bytesRead: Int { pump.bytesRead }

    /// Lines skipped so far because they were not in the CRI format.
    public var malformedLines: Int { pump.malformedLines }

    /// Ends the stream and releases its descriptors now; the next `next()` returns nil.
    public func close() { pump.finish() }

    /// The iterator (shares state with the stream).
    public func makeAsyncIterator() -> Iterator { Iterator(pump: pump) }

    /// Hands out chunks until the end of the log (or of the follow).
    public struct Iterator: AsyncIteratorProtocol {
        let pump: LogPump

        /// The next chunk, or nil at the end.
        public mutating func next(isolation actor: isolated (any Actor)?) async throws(ContainerLogError) -> [UInt8]? {
            try await pump.nextChunk(isolation: actor)
        }

        /// The next chunk, or nil at the end.
        public mutating func next() async throws(ContainerLogError) -> [UInt8]? {
            try await pump.nextChunk(isolation: nil)
        }
    }
}
