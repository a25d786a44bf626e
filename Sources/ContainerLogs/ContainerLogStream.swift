/// The output of one log request: chunks of bytes, ready to send (`text/plain`), in log order.
///
/// Single-pass: iterate it once. Reading happens only when the consumer asks for the next chunk, so memory stays
/// bounded however fast the container writes. Ending the iteration early, cancelling the task, or dropping the
/// stream releases the file descriptors and the inotify watch. Call `close()` to release them immediately from
/// another place (for example a client-disconnect callback that is not the iterating task).
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
