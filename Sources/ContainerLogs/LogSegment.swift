import Glibc

/// One file of a container's log history: a rotated plain file, a rotated gzip file, or the live file.
///
/// The descriptor is opened when the read starts, so a rotation or a compression that renames or deletes the
/// file afterwards does not take the data away. A compressed file is decompressed into memory on first use
/// (rotated files are bounded by the rotation size), then its descriptor is closed.
final class LogSegment {
    /// Path at open time.
    let path: String
    /// Whether the file is gzip-compressed.
    let isCompressed: Bool
    /// The opened file's identity (the live segment's is compared with the path's to detect rotation).
    let identity: FileIdentity
    private var file: LogFile?
    private var decompressed: [UInt8]?
    private let maxDecompressedBytes: Int

    /// Wraps an opened file.
    init(file: LogFile, isCompressed: Bool, maxDecompressedBytes: Int) {
        self.path = file.path
        self.isCompressed = isCompressed
        self.identity = file.identity
        self.file = file
        self.maxDecompressedBytes = maxDecompressedBytes
    }

    /// Bytes of log text in this segment now (decompressed size for `.gz`).
    func size(counter: ReadCounter) throws(ContainerLogError) -> Int {
        if isCompressed { return try loadDecompressed(counter: counter).count }
        guard let file else { throw .io(operation: "fstat", path: path, errno: EBADF) }
        return try file.size()
    }

    /// Copies up to `buffer.count` bytes of log text starting at `offset`; 0 at the end.
    func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer, counter: ReadCounter) throws(ContainerLogError) -> Int {
        if isCompressed {
            let bytes = try loadDecompressed(counter: counter)
            guard offset < bytes.count else { return 0 }
            let count = min(buffer.count, bytes.count - offset)
            bytes.withUnsafeBytes { source in
                buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[offset..<(offset + count)]))
            }
            return count
        }
        guard let file else { throw .io(operation: "pread", path: path, errno: EBADF) }
        return try file.read(at: offset, into: buffer, counter: counter)
    }

    /// Reads into `buffer[range]`; returns the count (0 at the end).
    func read(at offset: Int, into buffer: inout [UInt8], range: Range<Int>, counter: ReadCounter) throws(ContainerLogError) -> Int {
        let result: Result<Int, ContainerLogError> = buffer.withUnsafeMutableBytes { raw in
            do throws(ContainerLogError) {
                return .success(try read(at: offset, into: UnsafeMutableRawBufferPointer(rebasing: raw[range]),
                                         counter: counter))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Releases the descriptor and any decompressed text.
    func close() {
        file?.close()
        file = nil
        decompressed = nil
    }

    private func loadDecompressed(counter: ReadCounter) throws(ContainerLogError) -> [UInt8] {
        if let decompressed { return decompressed }
        guard let file else { throw .io(operation: "read", path: path, errno: EBADF) }
        let bytes = try Gzip.decompress(file, maxBytes: maxDecompressedBytes, counter: counter)
        file.close()
        self.file = nil
        decompressed = bytes
        return bytes
    }
}
